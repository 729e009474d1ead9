package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Deadline;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code methodConfig} part of a service config: per-method call settings, found by the spec's
 * name matching (the exact {@code service/method}, else the service's entry, else the channel's
 * default: an entry whose name has no service). Immutable; looked up on the caller's thread for
 * every call, without locks.
 *
 * <p>Applied settings: {@code timeout} (the call gets the earlier of it and its own deadline),
 * {@code waitForReady} (unless the call chose), {@code maxRequestMessageBytes} and {@code
 * maxResponseMessageBytes} (the smaller of them and the call's or channel's limit), {@code
 * retryPolicy} (gRFC A6, applied by {@link RetriableStream}), {@code hedgingPolicy} (gRFC A6,
 * applied by {@link HedgingStream}).
 */
final class MethodConfigs {
  static final MethodConfigs NONE = new MethodConfigs(Map.of(), null);

  /** One entry's settings; {@code null} means not set. */
  record MethodConfig(
      Duration timeout,
      Boolean waitForReady,
      Integer maxRequestMessageBytes,
      Integer maxResponseMessageBytes,
      RetryPolicy retryPolicy,
      HedgingPolicy hedgingPolicy) {

    /**
     * {@code options} with these settings applied as the class comment says; a new deadline is
     * measured on the call's own deadline's ticker, else on {@code ticker}.
     */
    CallOptions applyTo(CallOptions options, Deadline.Ticker ticker) {
      CallOptions out = options;
      if (timeout != null) {
        Deadline own = out.getDeadline();
        Deadline configured =
            Deadline.after(
                timeout.toNanos(), TimeUnit.NANOSECONDS, own != null ? own.ticker() : ticker);
        if (own == null || configured.isBefore(own)) {
          out = out.withDeadline(configured);
        }
      }
      if (waitForReady != null) {
        out =
            out.withDefaults(
                waitForReady
                    ? CallOptions.DEFAULT.withWaitForReady()
                    : CallOptions.DEFAULT.withoutWaitForReady());
      }
      if (maxRequestMessageBytes != null) {
        out =
            out.withMaxOutboundMessageSize(
                smaller(out.getMaxOutboundMessageSize(), maxRequestMessageBytes));
      }
      if (maxResponseMessageBytes != null) {
        out =
            out.withMaxInboundMessageSize(
                smaller(out.getMaxInboundMessageSize(), maxResponseMessageBytes));
      }
      return out;
    }

    private static int smaller(int current, int configured) {
      return current < 0 ? configured : Math.min(current, configured);
    }
  }

  /** By key: {@code "service/method"}, {@code "service/"}, or {@code ""} for the default. */
  private final Map<String, MethodConfig> byName;

  private final RetryThrottle throttle; // null: retries are not throttled

  private MethodConfigs(Map<String, MethodConfig> byName, RetryThrottle throttle) {
    this.byName = Map.copyOf(byName);
    this.throttle = throttle;
  }

  /** {@return the channel's retry throttle from {@code retryThrottling}, or null for none} */
  RetryThrottle throttle() {
    return throttle;
  }

  /** The settings for {@code fullMethodName} ({@code package.Service/Method}), or null. */
  MethodConfig forMethod(String fullMethodName) {
    if (byName.isEmpty()) {
      return null;
    }
    MethodConfig exact = byName.get(fullMethodName);
    if (exact != null) {
      return exact;
    }
    int slash = fullMethodName.lastIndexOf('/');
    MethodConfig service = slash < 0 ? null : byName.get(fullMethodName.substring(0, slash + 1));
    return service != null ? service : byName.get("");
  }

  boolean isEmpty() {
    return byName.isEmpty();
  }

  /**
   * Parses the {@code methodConfig} member of a service config object ({@code null} or absent:
   * none). Unknown fields are ignored, as the spec says; a known field of the wrong type or value,
   * a method without a service, or a name listed twice is an error naming its JSON path.
   *
   * @throws IllegalArgumentException naming the JSON path of the first problem
   */
  static MethodConfigs parse(Object methodConfig) {
    return parse(methodConfig, null);
  }

  /**
   * Parses {@code methodConfig} and {@code retryThrottling} (either may be null).
   *
   * @throws IllegalArgumentException naming the JSON path of the first problem
   */
  static MethodConfigs parse(Object methodConfig, Object retryThrottling) {
    RetryThrottle throttle = throttle(retryThrottling);
    if (methodConfig == null) {
      return throttle == null ? NONE : new MethodConfigs(Map.of(), throttle);
    }
    if (!(methodConfig instanceof List<?> entries)) {
      throw invalid("methodConfig", "must be a list");
    }
    Map<String, MethodConfig> byName = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String path = "methodConfig[" + i + "]";
      if (!(entries.get(i) instanceof Map<?, ?> entry)) {
        throw invalid(path, "must be an object");
      }
      MethodConfig config =
          new MethodConfig(
              duration(entry.get("timeout"), path + ".timeout"),
              bool(entry.get("waitForReady"), path + ".waitForReady"),
              bytes(entry.get("maxRequestMessageBytes"), path + ".maxRequestMessageBytes"),
              bytes(entry.get("maxResponseMessageBytes"), path + ".maxResponseMessageBytes"),
              retryPolicy(entry.get("retryPolicy"), path + ".retryPolicy"),
              hedgingPolicy(entry.get("hedgingPolicy"), path + ".hedgingPolicy"));
      if (config.retryPolicy() != null && config.hedgingPolicy() != null) {
        throw invalid(path, "sets both retryPolicy and hedgingPolicy");
      }
      Object names = entry.get("name");
      if (names == null) {
        continue; // an entry naming nothing applies to nothing
      }
      if (!(names instanceof List<?> list)) {
        throw invalid(path + ".name", "must be a list");
      }
      for (int j = 0; j < list.size(); j++) {
        String key = key(list.get(j), path + ".name[" + j + "]");
        if (byName.putIfAbsent(key, config) != null) {
          throw invalid(
              path + ".name[" + j + "]",
              "names "
                  + (key.isEmpty() ? "the default" : "'" + key + "'")
                  + " again; each name may appear once");
        }
      }
    }
    return new MethodConfigs(byName, throttle);
  }

  /** A6's retryThrottling: maxTokens in (0, 1000], tokenRatio above 0 (3 decimals used). */
  private static RetryThrottle throttle(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw invalid("retryThrottling", "must be an object");
    }
    if (!(map.get("maxTokens") instanceof Double max) || max <= 0 || max > 1000) {
      throw invalid("retryThrottling.maxTokens", "must be a number above 0 and at most 1000");
    }
    if (!(map.get("tokenRatio") instanceof Double ratio) || ratio <= 0) {
      throw invalid("retryThrottling.tokenRatio", "must be a number above 0");
    }
    return new RetryThrottle(max, ratio);
  }

  /**
   * A6's retryPolicy; every field required, maxAttempts capped at {@value
   * RetryPolicy#MAX_ATTEMPTS}.
   */
  private static RetryPolicy retryPolicy(Object value, String path) {
    if (value == null) {
      return null;
    }
    Map<?, ?> policy = object(value, path);
    int attempts = maxAttempts(policy, path);
    Duration initial = duration(policy.get("initialBackoff"), path + ".initialBackoff");
    Duration max = duration(policy.get("maxBackoff"), path + ".maxBackoff");
    if (initial == null || initial.isZero()) {
      throw invalid(path + ".initialBackoff", "must be a positive duration");
    }
    if (max == null || max.isZero()) {
      throw invalid(path + ".maxBackoff", "must be a positive duration");
    }
    if (!(policy.get("backoffMultiplier") instanceof Double multiplier) || multiplier <= 0) {
      throw invalid(path + ".backoffMultiplier", "must be a number above 0");
    }
    return new RetryPolicy(
        attempts,
        initial.toNanos(),
        max.toNanos(),
        multiplier,
        RetryPolicy.codes(policy.get("retryableStatusCodes"), path + ".retryableStatusCodes"));
  }

  private static Map<?, ?> object(Object value, String path) {
    if (!(value instanceof Map<?, ?> map)) {
      throw invalid(path, "must be an object");
    }
    return map;
  }

  /**
   * A6's maxAttempts: a whole number of at least 2, capped at {@value RetryPolicy#MAX_ATTEMPTS}.
   */
  private static int maxAttempts(Map<?, ?> policy, String path) {
    Object attempts = policy.get("maxAttempts");
    if (!(attempts instanceof Double a) || a != Math.rint(a) || a < 2) {
      throw invalid(path + ".maxAttempts", "must be a whole number of at least 2");
    }
    return (int) Math.min(a, RetryPolicy.MAX_ATTEMPTS);
  }

  /**
   * A6's hedgingPolicy: maxAttempts required (capped at {@value RetryPolicy#MAX_ATTEMPTS}),
   * hedgingDelay (default 0s) and nonFatalStatusCodes (default none) optional.
   */
  private static HedgingPolicy hedgingPolicy(Object value, String path) {
    if (value == null) {
      return null;
    }
    Map<?, ?> policy = object(value, path);
    int attempts = maxAttempts(policy, path);
    Duration delay = duration(policy.get("hedgingDelay"), path + ".hedgingDelay");
    Object codes = policy.get("nonFatalStatusCodes");
    return new HedgingPolicy(
        attempts,
        delay == null ? 0 : delay.toNanos(),
        codes == null || (codes instanceof List<?> l && l.isEmpty())
            ? Set.of()
            : RetryPolicy.codes(codes, path + ".nonFatalStatusCodes"));
  }

  private static String key(Object name, String path) {
    if (!(name instanceof Map<?, ?> map)) {
      throw invalid(path, "must be an object");
    }
    String service = string(map.get("service"), path + ".service");
    String method = string(map.get("method"), path + ".method");
    boolean noService = service == null || service.isEmpty();
    boolean noMethod = method == null || method.isEmpty();
    if (noService && !noMethod) {
      throw invalid(path, "names a method without a service");
    }
    return noService ? "" : service + "/" + (noMethod ? "" : method);
  }

  private static String string(Object value, String path) {
    if (value != null && !(value instanceof String)) {
      throw invalid(path, "must be a string");
    }
    return (String) value;
  }

  private static Boolean bool(Object value, String path) {
    if (value != null && !(value instanceof Boolean)) {
      throw invalid(path, "must be true or false");
    }
    return (Boolean) value;
  }

  /** A non-negative byte count: a JSON number, or a string (protobuf's JSON form of uint64). */
  private static Integer bytes(Object value, String path) {
    if (value == null) {
      return null;
    }
    BigDecimal amount;
    try {
      amount =
          value instanceof Double d
              ? BigDecimal.valueOf(d)
              : value instanceof String s ? new BigDecimal(s) : null;
    } catch (NumberFormatException e) {
      amount = null;
    }
    if (amount == null || amount.signum() < 0 || amount.stripTrailingZeros().scale() > 0) {
      throw invalid(path, "must be a non-negative whole number of bytes, got " + value);
    }
    return amount.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0
        ? Integer.MAX_VALUE
        : amount.intValueExact();
  }

  /** A protobuf JSON duration: decimal seconds with an {@code s} suffix, such as {@code "1.5s"}. */
  private static Duration duration(Object value, String path) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || !text.endsWith("s")) {
      throw invalid(path, "must be a duration string such as \"1.5s\", got " + value);
    }
    BigDecimal seconds;
    try {
      seconds = new BigDecimal(text.substring(0, text.length() - 1));
    } catch (NumberFormatException e) {
      throw invalid(path, "must be a duration string such as \"1.5s\", got " + value);
    }
    if (seconds.signum() < 0 || seconds.scale() > 9) {
      throw invalid(path, "must be a non-negative duration with at most 9 decimals, got " + value);
    }
    try {
      return Duration.ofSeconds(0, seconds.movePointRight(9).longValueExact());
    } catch (ArithmeticException e) {
      throw invalid(path, "is too long: " + value);
    }
  }

  private static IllegalArgumentException invalid(String path, String problem) {
    return new IllegalArgumentException("invalid service config: " + path + " " + problem);
  }
}
