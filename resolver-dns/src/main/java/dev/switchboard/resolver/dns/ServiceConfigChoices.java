package dev.switchboard.resolver.dns;

import dev.switchboard.api.spi.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The service config a {@code dns} target publishes in TXT records of {@code _grpc_config.<host>}
 * (gRPC's "service config in DNS"): a record {@code grpc_config=<JSON list of choices>}, each
 * choice an object with an optional {@code clientLanguage} (list; ours is {@code java}), {@code
 * percentage} (0 to 100: the share of clients that take it) and {@code clientHostname} (list), and
 * the {@code serviceConfig} object itself. The first choice whose conditions all hold is used.
 *
 * <p>A choice with a field outside these, or of the wrong type, makes the whole record invalid, as
 * the spec says. Stateless; the random draw and the host name are supplied by the caller.
 */
final class ServiceConfigChoices {
  static final String TXT_PREFIX = "grpc_config=";

  /** The TXT name a target's service config is published under. */
  static String txtName(String host) {
    return "_grpc_config." + host;
  }

  private static final Set<String> FIELDS =
      Set.of("clientLanguage", "percentage", "clientHostname", "serviceConfig");

  private ServiceConfigChoices() {}

  /**
   * The service config JSON the records select for this client, or {@code null} when no record is a
   * {@code grpc_config} one or no choice applies.
   *
   * @param records the TXT records of {@link #txtName}, each with its strings joined
   * @param percentDraw a uniform draw in [0, 100), taken only if a choice has a percentage
   * @param hostname this machine's name, asked only if a choice names host names
   * @throws IllegalArgumentException when the {@code grpc_config} record is invalid, saying why
   */
  static String select(List<String> records, IntSupplier percentDraw, Supplier<String> hostname) {
    String record = records.stream().filter(r -> r.startsWith(TXT_PREFIX)).findFirst().orElse(null);
    if (record == null) {
      return null;
    }
    Object parsed = Json.parse(record.substring(TXT_PREFIX.length()));
    if (!(parsed instanceof List<?> choices)) {
      throw new IllegalArgumentException("grpc_config must be a JSON list of choices");
    }
    for (int i = 0; i < choices.size(); i++) {
      if (!(choices.get(i) instanceof Map<?, ?> choice)) {
        throw new IllegalArgumentException("grpc_config[" + i + "] must be an object");
      }
      for (Object key : choice.keySet()) {
        if (!FIELDS.contains(key)) {
          throw new IllegalArgumentException("grpc_config[" + i + "] has unknown field " + key);
        }
      }
      if (!(choice.get("serviceConfig") instanceof Map<?, ?> config)) {
        throw new IllegalArgumentException(
            "grpc_config[" + i + "].serviceConfig must be an object");
      }
      if (applies(choice, i, percentDraw, hostname)) {
        return Json.write(config);
      }
    }
    return null;
  }

  private static boolean applies(
      Map<?, ?> choice, int i, IntSupplier percentDraw, Supplier<String> hostname) {
    List<String> languages = strings(choice.get("clientLanguage"), i, "clientLanguage");
    if (languages != null
        && languages.stream().noneMatch(l -> l.toLowerCase(Locale.ROOT).equals("java"))) {
      return false;
    }
    Object percentage = choice.get("percentage");
    if (percentage != null) {
      if (!(percentage instanceof Double p) || p < 0 || p > 100 || p != Math.rint(p)) {
        throw new IllegalArgumentException(
            "grpc_config[" + i + "].percentage must be a whole number from 0 to 100");
      }
      if (percentDraw.getAsInt() >= p) {
        return false;
      }
    }
    List<String> hosts = strings(choice.get("clientHostname"), i, "clientHostname");
    return hosts == null || hosts.contains(hostname.get());
  }

  private static List<String> strings(Object value, int i, String field) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
      throw new IllegalArgumentException(
          "grpc_config[" + i + "]." + field + " must be a list of strings");
    }
    return list.stream().map(String.class::cast).toList();
  }
}
