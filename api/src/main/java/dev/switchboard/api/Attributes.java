package dev.switchboard.api;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map from typed {@link Key keys} to values, for addresses, transports and calls.
 * Keys compare by identity.
 *
 * @since 0.1
 */
public final class Attributes {
  public static final Attributes EMPTY = new Attributes(Map.of());

  /** A typed key; compared by identity. */
  public static final class Key<T> {
    private final String name;

    private Key(String name) {
      this.name = name;
    }

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

  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) {
    return (T) data.get(key);
  }

  public Set<Key<?>> keys() {
    return Collections.unmodifiableSet(data.keySet());
  }

  public boolean isEmpty() {
    return data.isEmpty();
  }

  public static Builder newBuilder() {
    return new Builder(Map.of());
  }

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

  /** Builds {@link Attributes}. */
  public static final class Builder {
    private final Map<Key<?>, Object> data;

    private Builder(Map<Key<?>, Object> base) {
      data = new HashMap<>(base);
    }

    public <T> Builder set(Key<T> key, T value) {
      Objects.requireNonNull(key, "key");
      if (value == null) {
        data.remove(key);
      } else {
        data.put(key, value);
      }
      return this;
    }

    public Attributes build() {
      return data.isEmpty() ? EMPTY : new Attributes(Map.copyOf(data));
    }
  }
}
