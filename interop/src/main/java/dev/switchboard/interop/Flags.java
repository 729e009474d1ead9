package dev.switchboard.interop;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags in the interop programs' style: every argument is {@code --name=value}
 * (grpc-java's TestServiceClient/TestServiceServer and the official interop descriptions use this
 * form). Names are checked against a known set; values are parsed on demand.
 */
final class Flags {
  /** A usage error: the program prints it with its usage text and exits with status 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private final Map<String, String> values;

  private Flags(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code args}; {@code --help} anywhere is reported as a usage error with an empty
   * message.
   *
   * @throws UsageException for an argument not of the form {@code --name=value} or an unknown name
   */
  static Flags parse(String[] args, Set<String> known) throws UsageException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new UsageException("");
      }
      if (!arg.startsWith("--")) {
        throw new UsageException("arguments must look like --name=value: " + arg);
      }
      int eq = arg.indexOf('=');
      if (eq < 0) {
        throw new UsageException("arguments must look like --name=value: " + arg);
      }
      String name = arg.substring(2, eq);
      if (!known.contains(name)) {
        throw new UsageException("unknown argument --" + name);
      }
      values.put(name, arg.substring(eq + 1));
    }
    return new Flags(values);
  }

  String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  int integer(String name, int defaultValue) throws UsageException {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be an integer, not '" + v + "'");
    }
  }

  boolean bool(String name, boolean defaultValue) throws UsageException {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new UsageException("--" + name + " must be true or false, not '" + v + "'");
    }
  }

  boolean has(String name) {
    return values.containsKey(name);
  }
}
