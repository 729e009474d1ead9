package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.StreamProgress;
import dev.switchboard.testing.FakeClock;
import dev.switchboard.testing.StringMarshaller;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Retries a retryPolicy asks for (gRFC A6), on fake time: backoff, attempts, commit, pushback. */
class ConfiguredRetryTest {
  private static final RetryPolicy POLICY =
      new RetryPolicy(
          3,
          TimeUnit.SECONDS.toNanos(1),
          TimeUnit.SECONDS.toNanos(10),
          2.0,
          Set.of(Status.Code.UNAVAILABLE));

  private final FakeClock clock = new FakeClock();
  private final Executor direct = Runnable::run;
  private final FakeAttempts source = new FakeAttempts();
  private final List<FakeStream<String>> attempts = source.streams;
  private final RecordingTransportListener listener = new RecordingTransportListener();
  private ReplayBudget budget = new ReplayBudget(10_000);

  private RetriableStream<String> stream(RetryThrottle throttle) {
    return new RetriableStream<>(
        source,
        ChannelFixture.UNARY,
        new Metadata().put("x-app", "a"),
        CallOptions.DEFAULT,
        StringMarshaller.INSTANCE,
        direct,
        new ReplayBuffer<>(budget, 1000),
        POLICY,
        throttle,
        clock.scheduledExecutor(),
        () -> 0.5);
  }

  private static void fail(FakeStream<String> attempt, Status status, Metadata trailers) {
    attempt.listener.closed(status, StreamProgress.PROCESSED, trailers);
  }

  @Test
  void retriesAfterTheBackoffReplayingAndCountingPreviousAttempts() {
    RetriableStream<String> s = stream(null);
    s.start(listener);
    s.writeMessage("req");
    s.halfClose();
    fail(attempts.get(0), Status.UNAVAILABLE, new Metadata());
    assertEquals(1, attempts.size(), "waits for the backoff");
    clock.forwardTime(499, TimeUnit.MILLISECONDS); // 0.5 x 1 s
    assertEquals(1, attempts.size());
    clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertEquals(2, attempts.size());
    FakeStream<String> second = attempts.get(1);
    assertEquals(1, second.callOptions.getOption(ClientTransport.PREVIOUS_RPC_ATTEMPTS));
    assertEquals("a", second.headers.get("x-app"));
    assertEquals(List.of("req"), second.messages, "replayed");

    fail(second, Status.UNAVAILABLE, new Metadata());
    clock.forwardTime(1, TimeUnit.SECONDS); // 0.5 x 2 s
    assertEquals(2, attempts.get(2).callOptions.getOption(ClientTransport.PREVIOUS_RPC_ATTEMPTS));

    fail(attempts.get(2), Status.UNAVAILABLE.withDescription("third"), new Metadata());
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(3, attempts.size(), "maxAttempts used up");
    assertEquals("third", listener.status.getDescription());
    assertEquals(1, listener.closeCount);
  }

  @Test
  void aCodeThePolicyDoesNotNameIsNotRetried() {
    RetriableStream<String> s = stream(null);
    s.start(listener);
    fail(attempts.get(0), Status.INTERNAL, new Metadata());
    assertEquals(Status.INTERNAL, listener.status);
    assertEquals(0, clock.numScheduledTasks());
  }

  @Test
  void aCallThatReceivedHeadersIsCommitted() {
    RetriableStream<String> s = stream(null);
    s.start(listener);
    attempts.get(0).deliverHeaders(new Metadata());
    fail(attempts.get(0), Status.UNAVAILABLE, new Metadata());
    assertEquals(Status.UNAVAILABLE, listener.status);
    assertEquals(1, attempts.size());
  }

  @Test
  void pushbackSetsTheDelayOrStopsRetrying() {
    RetriableStream<String> s = stream(null);
    s.start(listener);
    fail(attempts.get(0), Status.UNAVAILABLE, new Metadata().putReceived(Pushback.KEY, "2000"));
    clock.forwardTime(1999, TimeUnit.MILLISECONDS);
    assertEquals(1, attempts.size());
    clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertEquals(2, attempts.size());

    fail(attempts.get(1), Status.UNAVAILABLE, new Metadata().putReceived(Pushback.KEY, "-1"));
    assertEquals(Status.UNAVAILABLE, listener.status, "a negative pushback stops retries");
  }

  @Test
  void theThrottleStopsRetriesAtHalfItsTokensAndSuccessRefillsIt() {
    RetryThrottle throttle = new RetryThrottle(3, 1);
    RetriableStream<String> first = stream(throttle);
    first.start(listener);
    fail(attempts.get(0), Status.UNAVAILABLE, new Metadata()); // 2 tokens left > 1.5: retried
    clock.forwardTime(1, TimeUnit.SECONDS);
    assertEquals(2, attempts.size());
    fail(attempts.get(1), Status.UNAVAILABLE, new Metadata()); // 1 token left: not retried
    assertEquals(Status.UNAVAILABLE, listener.status);

    RecordingTransportListener other = new RecordingTransportListener();
    RetriableStream<String> second = stream(throttle);
    second.start(other);
    attempts.get(2).close(Status.OK, new Metadata()); // +1 token: 2
    assertEquals(2.0, throttle.tokens());
  }

  @Test
  void cancelDuringTheBackoffEndsTheCallAtOnce() {
    RetriableStream<String> s = stream(null);
    s.start(listener);
    fail(attempts.get(0), Status.UNAVAILABLE, new Metadata());
    assertNull(listener.status);
    s.cancel(Status.CANCELLED.withDescription("gave up"));
    assertEquals("gave up", listener.status.getDescription());
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(1, attempts.size(), "no attempt after the cancel");
    assertEquals(1, listener.closeCount);
  }

  @Test
  void aCallPastItsByteLimitIsNotRetriedAndGivesItsBytesBack() {
    RetriableStream<String> s = stream(null);
    s.start(listener);
    s.writeMessage("x".repeat(600));
    assertEquals(600, budget.used());
    s.writeMessage("y".repeat(600)); // 1200 > the call's 1000
    assertEquals(0, budget.used(), "no longer retryable: its bytes are given back");
    fail(attempts.get(0), Status.UNAVAILABLE.withDescription("gone"), new Metadata());
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(1, attempts.size());
    assertEquals("gone", listener.status.getDescription());
  }

  @Test
  void theBytesComeBackWhenTheCallCommitsOrEnds() {
    RetriableStream<String> committed = stream(null);
    committed.start(listener);
    committed.writeMessage("12345");
    assertEquals(5, budget.used());
    attempts.get(0).deliverHeaders(new Metadata());
    assertEquals(0, budget.used(), "committed: nothing more to replay");

    RetriableStream<String> ended = stream(null);
    ended.start(new RecordingTransportListener());
    ended.writeMessage("12345");
    fail(attempts.get(1), Status.INTERNAL, new Metadata());
    assertEquals(0, budget.used(), "a call that ends gives its bytes back");
  }

  @Test
  void theChannelsBudgetIsSharedByItsCalls() {
    budget = new ReplayBudget(1500);
    RetriableStream<String> first = stream(null);
    first.start(listener);
    first.writeMessage("a".repeat(900));
    RetriableStream<String> second = stream(null);
    RecordingTransportListener secondListener = new RecordingTransportListener();
    second.start(secondListener);
    second.writeMessage("b".repeat(900)); // within its own 1000, not within what is left
    assertEquals(900, budget.used());
    fail(attempts.get(1), Status.UNAVAILABLE.withDescription("second"), new Metadata());
    assertEquals("second", secondListener.status.getDescription(), "not retried");
    fail(attempts.get(0), Status.UNAVAILABLE, new Metadata());
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(List.of("a".repeat(900)), attempts.get(2).messages, "the first call retried");
  }
}
