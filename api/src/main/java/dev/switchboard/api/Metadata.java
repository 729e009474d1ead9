package dev.switchboard.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Headers or trailers of a call: an ordered multimap from lower-case keys to values.
 *
 * <p>Keys ending in {@value #BINARY_SUFFIX} carry arbitrary bytes (sent base64-encoded); all other
 * keys carry printable ASCII strings. Keys must match {@code [0-9a-z_.-]+}; names starting with
 * {@code grpc-} are reserved for the protocol and refused, as are the HTTP/2 headers gRPC itself
 * controls ({@code content-type}, {@code te}, ...).
 *
 * <p>Not thread-safe: a {@code Metadata} is owned by one thread at a time and handed over with the
 * call event that carries it. Once handed to a call or transport it must not be changed.
 *
 * @since 0.1
 */
public final class Metadata {
  /** Suffix of binary-valued keys. */
  public static final String BINARY_SUFFIX = "-bin";

  private static final Set<String> PROTOCOL_KEYS =
      Set.of(
          "content-type",
          "te",
          "host",
          "connection",
          "transfer-encoding",
          "upgrade",
          "keep-alive",
          "proxy-connection");

  // Flat list: key0, value0, key1, value1, ... Values are String (ASCII keys) or byte[] (-bin
  // keys).
  private Object[] entries;
  private int size; // number of pairs

  /** Creates an empty metadata. */
  public Metadata() {
    entries = new Object[8];
  }

  /**
   * Creates a copy of {@code other}, with the same pairs in the same order. Binary values are
   * shared, not copied: they are never mutated once added.
   *
   * @param other the metadata to copy
   */
  public Metadata(Metadata other) {
    entries = Arrays.copyOf(other.entries, Math.max(8, other.size * 2));
    size = other.size;
  }

  /**
   * {@return whether {@code key} names a binary header, that is ends with {@value #BINARY_SUFFIX}}
   *
   * @param key a metadata key
   */
  public static boolean isBinaryKey(String key) {
    return key.endsWith(BINARY_SUFFIX);
  }

  /**
   * Checks a key a user may set: lower-case {@code [0-9a-z_.-]}, not reserved.
   *
   * @param key the key to check
   * @return {@code key}
   * @throws IllegalArgumentException naming the problem
   */
  public static String checkUserKey(String key) {
    checkKeySyntax(key);
    if (key.startsWith("grpc-")) {
      throw new IllegalArgumentException("metadata key '" + key + "' is reserved for gRPC");
    }
    if (PROTOCOL_KEYS.contains(key)) {
      throw new IllegalArgumentException(
          "metadata key '" + key + "' is controlled by the protocol");
    }
    return key;
  }

  /**
   * Checks key syntax only: non-empty, {@code [0-9a-z_.-]}. Transports use this for received keys.
   *
   * @param key the key to check
   * @return {@code key}
   * @throws IllegalArgumentException naming the problem
   * @throws NullPointerException when {@code key} is null
   */
  public static String checkKeySyntax(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("metadata key is empty");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException(
            "metadata key '"
                + key
                + "' has invalid character '"
                + c
                + "' (allowed: 0-9 a-z _ - .)");
      }
    }
    return key;
  }

  /**
   * {@return whether {@code value} is a legal ASCII header value: printable ASCII, space included}
   *
   * @param value the value to check
   */
  public static boolean isValidAsciiValue(CharSequence value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Adds an ASCII value after any existing values of {@code key}.
   *
   * @param key a user key (see {@link #checkUserKey}) not ending in {@value #BINARY_SUFFIX}
   * @param value printable ASCII, not null
   * @return this metadata
   * @throws IllegalArgumentException when the key is reserved, malformed or binary, or the value is
   *     not printable ASCII
   */
  public Metadata put(String key, String value) {
    checkUserKey(key);
    if (isBinaryKey(key)) {
      throw new IllegalArgumentException("key '" + key + "' is binary: use putBinary");
    }
    Objects.requireNonNull(value, "value");
    if (!isValidAsciiValue(value)) {
      throw new IllegalArgumentException("value of '" + key + "' is not printable ASCII");
    }
    append(key, value);
    return this;
  }

  /**
   * Adds a binary value after any existing values of {@code key}. The array is not copied: do not
   * change it afterwards.
   *
   * @param key a user key (see {@link #checkUserKey}) ending in {@value #BINARY_SUFFIX}
   * @param value the bytes, not null
   * @return this metadata
   * @throws IllegalArgumentException when the key is reserved, malformed or not binary
   */
  public Metadata putBinary(String key, byte[] value) {
    checkUserKey(key);
    if (!isBinaryKey(key)) {
      throw new IllegalArgumentException("key '" + key + "' must end with -bin for binary values");
    }
    append(key, Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Adds a value received from a peer, checking syntax only (reserved names are the transport's
   * business). For transports.
   *
   * @param key a key with valid syntax (see {@link #checkKeySyntax})
   * @param value a {@code String} or, for {@value #BINARY_SUFFIX} keys, a decoded {@code byte[]}
   * @return this metadata
   * @throws IllegalArgumentException when the key is malformed or the value has the wrong type
   */
  public Metadata putReceived(String key, Object value) {
    checkKeySyntax(key);
    if (isBinaryKey(key) ? !(value instanceof byte[]) : !(value instanceof String)) {
      throw new IllegalArgumentException("wrong value type for key '" + key + "'");
    }
    append(key, value);
    return this;
  }

  private void append(String key, Object value) {
    if (size * 2 == entries.length) {
      entries = Arrays.copyOf(entries, entries.length * 2);
    }
    entries[size * 2] = key;
    entries[size * 2 + 1] = value;
    size++;
  }

  /**
   * {@return the last ASCII value added for {@code key}, or {@code null} when there is none}
   *
   * @param key the key
   */
  public String get(String key) {
    Object v = last(key);
    return v instanceof String s ? s : null;
  }

  /**
   * {@return the last binary value added for {@code key}, or {@code null} when there is none} The
   * array is shared: do not change it.
   *
   * @param key the key, ending in {@value #BINARY_SUFFIX}
   */
  public byte[] getBinary(String key) {
    Object v = last(key);
    return v instanceof byte[] b ? b : null;
  }

  private Object last(String key) {
    for (int i = size - 1; i >= 0; i--) {
      if (key.equals(entries[i * 2])) {
        return entries[i * 2 + 1];
      }
    }
    return null;
  }

  /**
   * {@return all ASCII values for {@code key} in the order added; empty when none} The list is a
   * new copy.
   *
   * @param key the key
   */
  public List<String> getAll(String key) {
    List<String> out = new ArrayList<>(2);
    for (int i = 0; i < size; i++) {
      if (key.equals(entries[i * 2]) && entries[i * 2 + 1] instanceof String s) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * {@return all binary values for {@code key} in the order added; empty when none} The list is a
   * new copy; the arrays are shared.
   *
   * @param key the key, ending in {@value #BINARY_SUFFIX}
   */
  public List<byte[]> getAllBinary(String key) {
    List<byte[]> out = new ArrayList<>(2);
    for (int i = 0; i < size; i++) {
      if (key.equals(entries[i * 2]) && entries[i * 2 + 1] instanceof byte[] b) {
        out.add(b);
      }
    }
    return out;
  }

  /**
   * {@return whether {@code key} has at least one value}
   *
   * @param key the key
   */
  public boolean containsKey(String key) {
    return last(key) != null;
  }

  /**
   * Removes every value of {@code key}.
   *
   * @param key the key
   * @return whether any value was removed
   */
  public boolean removeAll(String key) {
    int w = 0;
    for (int r = 0; r < size; r++) {
      if (!key.equals(entries[r * 2])) {
        entries[w * 2] = entries[r * 2];
        entries[w * 2 + 1] = entries[r * 2 + 1];
        w++;
      }
    }
    boolean removed = w != size;
    Arrays.fill(entries, w * 2, size * 2, null);
    size = w;
    return removed;
  }

  /**
   * Adds all pairs of {@code other}, in order, after the pairs of this metadata. Keys are not
   * checked again.
   *
   * @param other the metadata to add; left unchanged
   * @return this metadata
   */
  public Metadata merge(Metadata other) {
    for (int i = 0; i < other.size; i++) {
      append((String) other.entries[i * 2], other.entries[i * 2 + 1]);
    }
    return this;
  }

  /** {@return the distinct keys in first-added order, as an unmodifiable copy} */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    for (int i = 0; i < size; i++) {
      keys.add((String) entries[i * 2]);
    }
    return Collections.unmodifiableSet(keys);
  }

  /** {@return the number of key/value pairs, counting each value of a repeated key} */
  public int size() {
    return size;
  }

  /** {@return whether there are no pairs} */
  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * {@return the key of pair {@code i}} For transports that serialize in order.
   *
   * @param i the pair index, from 0 to {@link #size()} - 1
   * @throws IndexOutOfBoundsException when {@code i} is out of range
   */
  public String keyAt(int i) {
    Objects.checkIndex(i, size);
    return (String) entries[i * 2];
  }

  /**
   * {@return the value of pair {@code i}: a {@code String}, or a {@code byte[]} for binary keys}
   *
   * @param i the pair index, from 0 to {@link #size()} - 1
   * @throws IndexOutOfBoundsException when {@code i} is out of range
   */
  public Object valueAt(int i) {
    Objects.checkIndex(i, size);
    return entries[i * 2 + 1];
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Metadata(");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(entries[i * 2]).append('=');
      Object v = entries[i * 2 + 1];
      sb.append(
          v instanceof byte[] b
              ? new String(java.util.Base64.getEncoder().encode(b), StandardCharsets.US_ASCII)
              : v);
    }
    return sb.append(')').toString();
  }
}
