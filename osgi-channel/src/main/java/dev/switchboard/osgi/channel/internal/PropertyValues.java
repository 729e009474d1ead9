package dev.switchboard.osgi.channel.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed values of a configuration's properties, read the way Configuration Admin hands them over:
 * strings from {@code .cfg} files, numbers and booleans from typed sources (consoles, {@code
 * .config} files). An empty or blank string counts as absent. A value of the wrong kind throws an
 * {@link IllegalArgumentException} whose message names the property and the value. Stateless.
 */
final class PropertyValues {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final Map<String, ?> properties;

  PropertyValues(Map<String, ?> properties) {
    this.properties = properties;
  }

  /** The property as a trimmed string, or null when absent or blank. */
  String string(String name) {
    Object value = properties.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s.isBlank() ? null : s.trim();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw invalid(name, value, "a string");
  }

  /** The property as a string; absent or blank throws. */
  String required(String name) {
    String value = string(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  /** The property as a boolean ({@code true}/{@code false}, any case), else {@code otherwise}. */
  boolean bool(String name, boolean otherwise) {
    Object value = properties.get(name);
    if (value instanceof Boolean b) {
      return b;
    }
    String s = string(name);
    if (s == null) {
      return otherwise;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(name, value, "true or false");
    };
  }

  /** The property as a byte count (0 to {@link Integer#MAX_VALUE}), or null when absent. */
  Integer bytes(String name) {
    Object value = properties.get(name);
    long n;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      n = ((Number) value).longValue();
    } else {
      String s = string(name);
      if (s == null) {
        return null;
      }
      try {
        n = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw invalid(name, value, "a number of bytes");
      }
    }
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw invalid(name, value, "a number of bytes from 0 to " + Integer.MAX_VALUE);
    }
    return (int) n;
  }

  /**
   * The property as a positive duration ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code
   * 1d} or ISO-8601 such as {@code PT30S}), or null when absent.
   */
  Duration duration(String name) {
    String s = string(name);
    if (s == null) {
      return null;
    }
    Duration d = parseDuration(s);
    if (d == null || d.isNegative() || d.isZero()) {
      throw invalid(
          name, properties.get(name), "a positive duration such as 500ms, 30s, 5m or PT1H");
    }
    return d;
  }

  /** {@code s} as a duration, or null when it is not one. */
  static Duration parseDuration(String s) {
    Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        return null;
      }
      try {
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      } catch (ArithmeticException e) {
        return null;
      }
    }
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static IllegalArgumentException invalid(String name, Object value, String expected) {
    String shown = name.contains("password") ? "(hidden)" : "'" + value + "'";
    return new IllegalArgumentException(name + " must be " + expected + ", not " + shown);
  }
}
