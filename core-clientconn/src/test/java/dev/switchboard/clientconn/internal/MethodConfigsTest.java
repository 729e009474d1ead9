package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Json;
import dev.switchboard.testing.FakeClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The methodConfig part of a service config: parsing, name matching, applying to a call. */
class MethodConfigsTest {
  private final FakeClock clock = new FakeClock();

  private static MethodConfigs parse(String methodConfigJson) {
    Map<?, ?> root = (Map<?, ?>) Json.parse("{\"methodConfig\": " + methodConfigJson + "}");
    return MethodConfigs.parse(root.get("methodConfig"));
  }

  @Test
  void exactMethodThenServiceThenDefault() {
    MethodConfigs configs =
        parse(
            "[{\"name\": [{\"service\": \"pkg.Svc\", \"method\": \"Get\"}], \"timeout\": \"1s\"},"
                + " {\"name\": [{\"service\": \"pkg.Svc\"}], \"timeout\": \"2s\"},"
                + " {\"name\": [{}], \"timeout\": \"3s\"}]");
    assertEquals(Duration.ofSeconds(1), configs.forMethod("pkg.Svc/Get").timeout());
    assertEquals(Duration.ofSeconds(2), configs.forMethod("pkg.Svc/Put").timeout());
    assertEquals(Duration.ofSeconds(3), configs.forMethod("other.Svc/Get").timeout());
  }

  @Test
  void withoutADefaultOtherMethodsGetNothing() {
    MethodConfigs configs = parse("[{\"name\": [{\"service\": \"pkg.Svc\", \"method\": \"\"}]}]");
    assertTrue(configs.forMethod("pkg.Svc/Any") != null, "an empty method names the service");
    assertNull(configs.forMethod("other.Svc/Any"));
    assertNull(MethodConfigs.NONE.forMethod("pkg.Svc/Any"));
  }

  @Test
  void readsEverySetting() {
    MethodConfigs.MethodConfig c =
        parse(
                "[{\"name\": [{}], \"timeout\": \"0.250s\", \"waitForReady\": true,"
                    + " \"maxRequestMessageBytes\": 1024, \"maxResponseMessageBytes\": \"2048\","
                    + " \"someFutureField\": {\"x\": 1}}]")
            .forMethod("a.B/C");
    assertEquals(
        new MethodConfigs.MethodConfig(Duration.ofMillis(250), true, 1024, 2048, null, null),
        c,
        "unknown" + " fields are ignored");
  }

  @Test
  void hugeByteLimitsAreCappedAtIntMax() {
    assertEquals(
        Integer.MAX_VALUE,
        parse("[{\"name\": [{}], \"maxRequestMessageBytes\": \"18446744073709551615\"}]")
            .forMethod("a.B/C")
            .maxRequestMessageBytes());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}| methodConfig must be a list",
        "[1]| methodConfig[0] must be an object",
        "[{\"name\": {}}]| methodConfig[0].name must be a list",
        "[{\"name\": [{\"method\": \"Get\"}]}]| methodConfig[0].name[0] names a method without a"
            + " service",
        "[{\"name\": [{\"service\": 7}]}]| methodConfig[0].name[0].service must be a string",
        "[{\"name\": [{}], \"timeout\": 5}]| methodConfig[0].timeout must be a duration string",
        "[{\"name\": [{}], \"timeout\": \"5\"}]| methodConfig[0].timeout must be a duration string",
        "[{\"name\": [{}], \"timeout\": \"-1s\"}]| methodConfig[0].timeout must be a non-negative",
        "[{\"name\": [{}], \"waitForReady\": \"yes\"}]| methodConfig[0].waitForReady must be true or"
            + " false",
        "[{\"name\": [{}], \"maxRequestMessageBytes\": 1.5}]|"
            + " methodConfig[0].maxRequestMessageBytes must be a non-negative whole number",
        "[{\"name\": [{}], \"maxResponseMessageBytes\": -1}]|"
            + " methodConfig[0].maxResponseMessageBytes must be a non-negative whole number",
        "[{\"name\": [{}], \"retryPolicy\": 3}]| methodConfig[0].retryPolicy must be an object",
        "[{\"name\": [{\"service\": \"s\"}]}, {\"name\": [{\"service\": \"s\"}]}]|"
            + " methodConfig[1].name[0] names 's/' again",
        "[{\"name\": [{}]}, {\"name\": [{\"service\": \"\"}]}]| methodConfig[1].name[0] names the"
            + " default again",
      })
  void aKnownFieldOfTheWrongShapeIsAnErrorNamingItsPath(String json, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(json));
    assertTrue(
        e.getMessage().startsWith("invalid service config: " + expected.trim()), e.getMessage());
  }

  @Test
  void readsARetryPolicyAndCapsItsAttempts() {
    RetryPolicy policy =
        parse(
                "[{\"name\": [{}], \"retryPolicy\": {\"maxAttempts\": 9,"
                    + " \"initialBackoff\": \"0.1s\", \"maxBackoff\": \"1s\", \"backoffMultiplier\": 2,"
                    + " \"retryableStatusCodes\": [\"UNAVAILABLE\", 4]}}]")
            .forMethod("a.B/C")
            .retryPolicy();
    assertEquals(RetryPolicy.MAX_ATTEMPTS, policy.maxAttempts());
    assertEquals(100_000_000L, policy.initialBackoffNanos());
    assertEquals(
        java.util.Set.of(
            dev.switchboard.api.Status.Code.UNAVAILABLE,
            dev.switchboard.api.Status.Code.DEADLINE_EXCEEDED),
        policy.retryableCodes());
    assertEquals(50_000_000L, policy.backoffNanos(1, 0.5), "uniform in [0, initial)");
    assertEquals(500_000_000L, policy.backoffNanos(5, 0.5), "the bound is capped at max");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"maxAttempts\": 1}| methodConfig[0].retryPolicy.maxAttempts must be a whole number of"
            + " at least 2",
        "{\"maxAttempts\": 2, \"maxBackoff\": \"1s\", \"backoffMultiplier\": 2,"
            + " \"retryableStatusCodes\": [14]}| methodConfig[0].retryPolicy.initialBackoff must be a"
            + " positive duration",
        "{\"maxAttempts\": 2, \"initialBackoff\": \"1s\", \"maxBackoff\": \"1s\","
            + " \"backoffMultiplier\": 2, \"retryableStatusCodes\": []}|"
            + " methodConfig[0].retryPolicy.retryableStatusCodes must be a non-empty list",
        "{\"maxAttempts\": 2, \"initialBackoff\": \"1s\", \"maxBackoff\": \"1s\","
            + " \"backoffMultiplier\": 2, \"retryableStatusCodes\": [\"NOPE\"]}|"
            + " methodConfig[0].retryPolicy.retryableStatusCodes has an invalid status code NOPE",
      })
  void anInvalidRetryPolicyNamesItsPath(String policy, String expected) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("[{\"name\": [{}], \"retryPolicy\": " + policy + "}]"));
    assertTrue(
        e.getMessage().startsWith("invalid service config: " + expected.trim()), e.getMessage());
  }

  @Test
  void readsAHedgingPolicyWithItsDefaultsAndCap() {
    HedgingPolicy full =
        parse(
                "[{\"name\": [{\"service\": \"s\"}], \"hedgingPolicy\": {\"maxAttempts\": 9,"
                    + " \"hedgingDelay\": \"0.25s\", \"nonFatalStatusCodes\": [\"UNAVAILABLE\", 4]}}]")
            .forMethod("s/m")
            .hedgingPolicy();
    assertEquals(RetryPolicy.MAX_ATTEMPTS, full.maxAttempts());
    assertEquals(250_000_000L, full.hedgingDelayNanos());
    assertEquals(
        java.util.Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED),
        full.nonFatalCodes());
    HedgingPolicy minimal =
        parse("[{\"name\": [{\"service\": \"s\"}], \"hedgingPolicy\": {\"maxAttempts\": 2}}]")
            .forMethod("s/m")
            .hedgingPolicy();
    assertEquals(0, minimal.hedgingDelayNanos());
    assertTrue(minimal.nonFatalCodes().isEmpty());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}                                                  | methodConfig[0].hedgingPolicy.maxAttempts",
        "{\"maxAttempts\": 1}                                 | methodConfig[0].hedgingPolicy.maxAttempts",
        "{\"maxAttempts\": 2, \"hedgingDelay\": 5}            | methodConfig[0].hedgingPolicy.hedgingDelay",
        "{\"maxAttempts\": 2, \"nonFatalStatusCodes\": [\"OK\"]} | methodConfig[0].hedgingPolicy.nonFatalStatusCodes",
        "[]                                                  | methodConfig[0].hedgingPolicy must be an object"
      })
  void anInvalidHedgingPolicyNamesItsPath(String policy, String expected) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("[{\"name\": [{}], \"hedgingPolicy\": " + policy + "}]"));
    assertTrue(
        e.getMessage().startsWith("invalid service config: " + expected.trim()), e.getMessage());
  }

  @Test
  void retryAndHedgingTogetherAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                parse(
                    "[{\"name\": [{}], \"hedgingPolicy\": {\"maxAttempts\": 2}, \"retryPolicy\":"
                        + " {\"maxAttempts\": 2, \"initialBackoff\": \"1s\", \"maxBackoff\": \"1s\","
                        + " \"backoffMultiplier\": 1, \"retryableStatusCodes\": [\"UNAVAILABLE\"]}}]"));
    assertTrue(e.getMessage().contains("both retryPolicy and hedgingPolicy"), e.getMessage());
  }

  @Test
  void readsRetryThrottling() {
    Map<?, ?> root =
        (Map<?, ?>)
            dev.switchboard.api.spi.Json.parse(
                "{\"retryThrottling\": {\"maxTokens\": 10, \"tokenRatio\": 0.1}}");
    RetryThrottle throttle = MethodConfigs.parse(null, root.get("retryThrottling")).throttle();
    assertEquals(10.0, throttle.tokens());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MethodConfigs.parse(
                null, dev.switchboard.api.spi.Json.parse("{\"maxTokens\": 0, \"tokenRatio\": 1}")));
  }

  @Test
  void timeoutGivesTheEarlierDeadline() {
    MethodConfigs.MethodConfig c =
        new MethodConfigs.MethodConfig(Duration.ofSeconds(2), null, null, null, null, null);
    CallOptions none = c.applyTo(CallOptions.DEFAULT, clock.ticker());
    assertEquals(2000, none.getDeadline().timeRemaining(TimeUnit.MILLISECONDS));

    Deadline sooner = Deadline.after(1, TimeUnit.SECONDS, clock.ticker());
    assertEquals(
        sooner, c.applyTo(CallOptions.DEFAULT.withDeadline(sooner), clock.ticker()).getDeadline());

    Deadline later = Deadline.after(5, TimeUnit.SECONDS, clock.ticker());
    assertEquals(
        2000,
        c.applyTo(CallOptions.DEFAULT.withDeadline(later), clock.ticker())
            .getDeadline()
            .timeRemaining(TimeUnit.MILLISECONDS));
  }

  @Test
  void waitForReadyOnlyWhereTheCallDidNotChoose() {
    MethodConfigs.MethodConfig c =
        new MethodConfigs.MethodConfig(null, true, null, null, null, null);
    assertTrue(c.applyTo(CallOptions.DEFAULT, clock.ticker()).isWaitForReady());
    assertFalse(
        c.applyTo(CallOptions.DEFAULT.withoutWaitForReady(), clock.ticker()).isWaitForReady());
  }

  @Test
  void messageLimitsTakeTheSmaller() {
    MethodConfigs.MethodConfig c = new MethodConfigs.MethodConfig(null, null, 100, 200, null, null);
    CallOptions applied =
        c.applyTo(
            CallOptions.DEFAULT.withMaxOutboundMessageSize(50).withMaxInboundMessageSize(500),
            clock.ticker());
    assertEquals(50, applied.getMaxOutboundMessageSize());
    assertEquals(200, applied.getMaxInboundMessageSize());
  }
}
