package dev.switchboard.distribution.demo;

import dev.switchboard.api.Status;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls counted while one thing was going on (a policy serving, a switch under way, the greeter
 * away): answers per backend, failures of the phase's expected status apart from the others, and a
 * latch for "this many calls have been counted" (answers, or expected failures when so made).
 */
final class DemoPhase {
  final String label;
  private final Status.Code expected;
  private final Map<String, LongAdder> perBackend = new ConcurrentHashMap<>();
  private final LongAdder failed = new LongAdder();
  private final LongAdder expectedFailures = new LongAdder();
  private final CountDownLatch answers;
  private final CountDownLatch expectedTarget;

  private DemoPhase(String label, Status.Code expected, int answers, int expectedFailures) {
    this.label = label;
    this.expected = expected;
    this.answers = new CountDownLatch(answers);
    this.expectedTarget = new CountDownLatch(expectedFailures);
  }

  /** A phase in which every call should succeed; {@link #await} waits for {@code calls}. */
  static DemoPhase of(String label, int calls) {
    return new DemoPhase(label, null, calls, 0);
  }

  /**
   * A phase in which calls may fail with {@code expected}, counted apart and not as failures;
   * {@link #awaitExpected} waits for {@code expectedFailures} of them.
   */
  static DemoPhase expecting(String label, Status.Code expected, int expectedFailures) {
    return new DemoPhase(label, expected, 0, expectedFailures);
  }

  void answered(String backend) {
    perBackend.computeIfAbsent(backend, b -> new LongAdder()).increment();
    answers.countDown();
  }

  /**
   * Counts a failed call.
   *
   * @return whether it was unexpected
   */
  boolean failed(Status status) {
    if (expected != null && status.getCode() == expected) {
      expectedFailures.increment();
      expectedTarget.countDown();
      return false;
    }
    failed.increment();
    return true;
  }

  /** Waits until the phase has seen its number of answers. */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return answers.await(timeout, unit);
  }

  /** Waits until the phase has seen its number of expected failures. */
  boolean awaitExpected(long timeout, TimeUnit unit) throws InterruptedException {
    return expectedTarget.await(timeout, unit);
  }

  Status.Code expected() {
    return expected;
  }

  Map<String, Long> perBackend() {
    Map<String, Long> out = new TreeMap<>();
    perBackend.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  long failedCalls() {
    return failed.sum();
  }

  long expectedFailures() {
    return expectedFailures.sum();
  }
}
