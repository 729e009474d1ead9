package dev.switchboard.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as grpcurl and Go write them: {@code 5s}, {@code 500ms}, {@code 1.5s}, {@code 2m}. */
final class Durations implements ITypeConverter<Duration> {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  @Override
  public Duration convert(String value) {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new TypeConversionException("not a duration (such as 5s or 500ms): " + value);
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis =
        switch (unit) {
          case "ms" -> amount;
          case "m" -> amount * 60_000;
          case "h" -> amount * 3_600_000;
          default -> amount * 1000;
        };
    if (millis <= 0 || millis > Duration.ofDays(365).toMillis()) {
      throw new TypeConversionException("duration out of range: " + value);
    }
    return Duration.ofMillis((long) Math.ceil(millis));
  }
}
