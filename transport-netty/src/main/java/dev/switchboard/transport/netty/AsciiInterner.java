package dev.switchboard.transport.netty;

import io.netty.util.AsciiString;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The header values a process sends again and again (paths, authorities, user agents, codec and
 * compressor names, metadata keys) as {@link AsciiString}s, whose bytes and hash are computed once
 * rather than on every call. Bounded: past its limit per map, values are converted on each use
 * instead. Thread-safe; lookups take no lock.
 */
final class AsciiInterner {
  /** The one the transport uses: up to 1024 values and 1024 paths. */
  static final AsciiInterner SHARED = new AsciiInterner(1024);

  private final int maxEntries;
  private final ConcurrentHashMap<String, AsciiString> values = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AsciiString> paths = new ConcurrentHashMap<>();

  /**
   * @param maxEntries the most values, and the most paths, kept
   */
  AsciiInterner(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** {@code value} as an AsciiString, interned when it is a String. */
  AsciiString intern(CharSequence value) {
    if (value instanceof AsciiString a) {
      return a;
    }
    if (value instanceof String s) {
      return lookup(values, s, s);
    }
    return new AsciiString(value);
  }

  /** {@code :path} of a method: {@code /} and its full name. */
  AsciiString path(String fullMethodName) {
    AsciiString cached = paths.get(fullMethodName);
    return cached != null ? cached : lookup(paths, fullMethodName, "/" + fullMethodName);
  }

  /** {@code value} as an AsciiString, never interned (values that vary per call). */
  static AsciiString convert(CharSequence value) {
    return value instanceof AsciiString a ? a : new AsciiString(value);
  }

  private AsciiString lookup(ConcurrentHashMap<String, AsciiString> map, String key, String value) {
    AsciiString cached = map.get(key);
    if (cached != null) {
      return cached;
    }
    AsciiString made = new AsciiString(value);
    if (map.size() < maxEntries) {
      AsciiString raced = map.putIfAbsent(key, made);
      return raced != null ? raced : made;
    }
    return made;
  }
}
