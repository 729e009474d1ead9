package dev.switchboard.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags in grpc-java's benchmark style: {@code --name=value}, or a bare {@code --name}
 * for a boolean. Every flag must be declared; an unknown or malformed one is an error, so a typo
 * never silently measures the wrong thing.
 */
final class Flags {
  /** One declared flag: its name, whether it is boolean, its default shown in the usage text. */
  record Spec(String name, boolean bool, String defaultValue, String help) {
    static Spec value(String name, String defaultValue, String help) {
      return new Spec(name, false, defaultValue, help);
    }

    static Spec bool(String name, String help) {
      return new Spec(name, true, "false", help);
    }
  }

  /** Thrown for a usage error; the message says what is wrong. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private final Map<String, Spec> specs = new LinkedHashMap<>();
  private final Map<String, String> values = new LinkedHashMap<>();
  private boolean help;

  private Flags(List<Spec> specs) {
    for (Spec s : specs) {
      this.specs.put(s.name(), s);
    }
  }

  /** Parses {@code args} against {@code specs}; {@code --help} sets {@link #helpRequested()}. */
  static Flags parse(String[] args, List<Spec> specs) throws UsageException {
    Flags flags = new Flags(specs);
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        flags.help = true;
        continue;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("not a flag: '" + arg + "' (flags look like --name=value)");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      Spec spec = flags.specs.get(name);
      if (spec == null) {
        throw new UsageException("unknown flag --" + name);
      }
      String value;
      if (eq < 0) {
        if (!spec.bool()) {
          throw new UsageException("--" + name + " needs a value: --" + name + "=...");
        }
        value = "true";
      } else {
        value = arg.substring(eq + 1);
        if (spec.bool() && !value.equals("true") && !value.equals("false")) {
          throw new UsageException("--" + name + " is true or false, not '" + value + "'");
        }
      }
      flags.values.put(name, value);
    }
    return flags;
  }

  boolean helpRequested() {
    return help;
  }

  boolean isSet(String name) {
    return values.containsKey(declared(name).name());
  }

  String string(String name) {
    Spec spec = declared(name);
    return values.getOrDefault(name, spec.defaultValue());
  }

  boolean bool(String name) {
    return Boolean.parseBoolean(string(name));
  }

  int intValue(String name, int min) throws UsageException {
    String s = string(name);
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " is an integer, not '" + s + "'");
    }
    if (v < min) {
      throw new UsageException("--" + name + " must be at least " + min + ", not " + v);
    }
    return v;
  }

  private Spec declared(String name) {
    Spec spec = specs.get(name);
    if (spec == null) {
      throw new IllegalArgumentException("undeclared flag " + name);
    }
    return spec;
  }

  /** The usage text: one block per flag, like grpc-java's benchmark programs print. */
  String usage(String synopsis) {
    StringBuilder sb = new StringBuilder("Usage: ").append(synopsis).append('\n');
    sb.append("  --help\n      Print this text.\n");
    for (Spec s : specs.values()) {
      sb.append("  --").append(s.name()).append(s.bool() ? "" : "=VALUE").append('\n');
      sb.append("      ").append(s.help());
      if (!s.bool() && s.defaultValue() != null) {
        sb.append(" [default: ")
            .append(s.defaultValue().isEmpty() ? "none" : s.defaultValue())
            .append(']');
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
