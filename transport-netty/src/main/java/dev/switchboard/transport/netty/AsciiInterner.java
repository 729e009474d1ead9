package dev.switchboard.transport.netty;

import io.netty.util.AsciiString;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The header values a process sends again and again (paths, authorities, user agents, codec and
 * compressor names, metadata keys) as {@link AsciiString}s, whose bytes and hash are computed once
 * rather than on every call. Bounded: past {@value #MAX_ENTRIES} entries per map, values are
 * converted on each use instead. Thread-safe; lookups take no lock.
 */
final class AsciiInterner {
  static final int MAX_ENTRIES = 1024;

  private static final ConcurrentHashMap<String, AsciiString> VALUES = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, AsciiString> PATHS = new ConcurrentHashMap<>();

  private AsciiInterner() {}

  /** {@code value} as an AsciiString, interned when it is a String. */
  static AsciiString intern(CharSequence value) {
    if (value instanceof AsciiString a) {
      return a;
    }
    if (value instanceof String s) {
      return lookup(VALUES, s, s);
    }
    return new AsciiString(value);
  }

  /** {@code :path} of a method: {@code /} and its full name. */
  static AsciiString path(String fullMethodName) {
    AsciiString cached = PATHS.get(fullMethodName);
    return cached != null ? cached : lookup(PATHS, fullMethodName, "/" + fullMethodName);
  }

  /** {@code value} as an AsciiString, never interned (values that vary per call). */
  static AsciiString convert(CharSequence value) {
    return value instanceof AsciiString a ? a : new AsciiString(value);
  }

  private static AsciiString lookup(
      ConcurrentHashMap<String, AsciiString> map, String key, String value) {
    AsciiString cached = map.get(key);
    if (cached != null) {
      return cached;
    }
    AsciiString made = new AsciiString(value);
    if (map.size() < MAX_ENTRIES) {
      AsciiString raced = map.putIfAbsent(key, made);
      return raced != null ? raced : made;
    }
    return made;
  }
}
