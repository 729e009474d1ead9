package dev.switchboard.api;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map from typed {@link Key keys} to values, for addresses, transports and calls. Keys
 * compare by identity.
 *
 * @since 0.1
 */
public final class Attributes {
  /** The attributes with no key. */
  public static final Attributes EMPTY = new Attributes(Map.of());

  /**
   * A typed key; compared by identity.
   *
   * @param <T> the value type
   */
  public static final class Key<T> {
    private final String name;

    private Key(String name) {
      this.name = name;
    }

    /**
     * {@return a new key, distinct from every other key even of the same name} Keep it in a
     * constant, such as {@link dev.switchboard.api.transport.TransportAttributes#REMOTE_ADDRESS}.
     *
     * @param name a name for debugging (its {@code toString()}), not null
     * @param <T> the value type
     */
    public static <T> Key<T> create(String name) {
      return new Key<>(Objects.requireNonNull(name, "name"));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final Map<Key<?>, Object> data;

  private Attributes(Map<Key<?>, Object> data) {
    this.data = data;
  }

  /**
   * {@return the value for {@code key}, or {@code null} when it is not set}
   *
   * @param key the key
   * @param <T> the value type
   */
  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) {
    return (T) data.get(key);
  }

  /** {@return the keys that have a value, unmodifiable} */
  public Set<Key<?>> keys() {
    return Collections.unmodifiableSet(data.keySet());
  }

  /** {@return whether no key has a value} */
  public boolean isEmpty() {
    return data.isEmpty();
  }

  /** {@return a new, empty builder} */
  public static Builder newBuilder() {
    return new Builder(Map.of());
  }

  /** {@return a new builder holding these attributes, to derive changed ones} */
  public Builder toBuilder() {
    return new Builder(data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes a && a.data.equals(data);
  }

  @Override
  public int hashCode() {
    return data.hashCode();
  }

  @Override
  public String toString() {
    return data.toString();
  }

  /** Builds {@link Attributes}. Not thread-safe. */
  public static final class Builder {
    private final Map<Key<?>, Object> data;

    private Builder(Map<Key<?>, Object> base) {
      data = new HashMap<>(base);
    }

    /**
     * Sets the value for {@code key}, replacing any previous one.
     *
     * @param key the key, not null
     * @param value the value, or {@code null} to remove the key
     * @param <T> the value type
     * @return this builder
     */
    public <T> Builder set(Key<T> key, T value) {
      Objects.requireNonNull(key, "key");
      if (value == null) {
        data.remove(key);
      } else {
        data.put(key, value);
      }
      return this;
    }

    /** {@return new, immutable attributes holding what was set} */
    public Attributes build() {
      return data.isEmpty() ? EMPTY : new Attributes(Map.copyOf(data));
    }
  }
}
