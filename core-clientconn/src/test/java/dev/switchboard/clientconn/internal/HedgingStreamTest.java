package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Hedged calls (gRFC A6 hedgingPolicy) on fake time: delays, the winner, non-fatal codes. */
class HedgingStreamTest {
  private static final HedgingPolicy POLICY =
      new HedgingPolicy(3, TimeUnit.SECONDS.toNanos(1), Set.of(Status.Code.UNAVAILABLE));

  private final FakeClock clock = new FakeClock();
  private final Executor direct = Runnable::run;
  private final FakeAttempts source = new FakeAttempts();
  private final List<FakeStream<String>> hedges = source.streams;
  private final RecordingTransportListener listener = new RecordingTransportListener();
  private final ReplayBudget budget = new ReplayBudget(10_000);

  private HedgingStream<String> stream(HedgingPolicy policy, RetryThrottle throttle) {
    return new HedgingStream<>(
        source,
        ChannelFixture.UNARY,
        new Metadata().put("x-app", "a"),
        CallOptions.DEFAULT,
        StringMarshaller.INSTANCE,
        direct,
        new ReplayBuffer<>(budget, 1000),
        policy,
        throttle,
        clock.scheduledExecutor());
  }

  private static void fail(FakeStream<String> hedge, Status status, Metadata trailers) {
    hedge.listener.closed(status, StreamProgress.PROCESSED, trailers);
  }

  @Test
  void hedgesFollowTheDelayAndReplayWhatWasSent() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    s.request(1);
    s.writeMessage("req");
    s.halfClose();
    assertEquals(1, hedges.size());
    clock.forwardTime(999, TimeUnit.MILLISECONDS);
    assertEquals(1, hedges.size());
    clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertEquals(2, hedges.size());
    FakeStream<String> second = hedges.get(1);
    assertEquals(List.of("start", "request 1", "write req", "halfClose"), second.events);
    assertEquals(1, second.callOptions.getOption(ClientTransport.PREVIOUS_RPC_ATTEMPTS));
    assertEquals("a", second.headers.get("x-app"));
    clock.forwardTime(1, TimeUnit.SECONDS);
    assertEquals(3, hedges.size());
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(3, hedges.size(), "maxAttempts");
    assertEquals(3, s.hedgesSent());
  }

  @Test
  void theFirstToAnswerWinsAndTheOthersAreCancelled() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    s.writeMessage("req");
    clock.forwardTime(2, TimeUnit.SECONDS);
    assertEquals(3, hedges.size());

    hedges.get(1).deliverHeaders(new Metadata().put("server", "2"));
    assertEquals("2", listener.headers.get("server"));
    assertEquals(Status.Code.CANCELLED, hedges.get(0).cancelReason.getCode());
    assertEquals(Status.Code.CANCELLED, hedges.get(2).cancelReason.getCode());
    assertNull(hedges.get(1).cancelReason);
    assertEquals(0, listener.closeCount, "the losers' ends are not reported");

    // after the commit, operations go to the winner only
    s.halfClose();
    assertEquals("halfClose", hedges.get(1).events.get(hedges.get(1).events.size() - 1));
    assertFalse(hedges.get(0).events.contains("halfClose"));

    hedges.get(1).deliverMessage("resp");
    hedges.get(1).close(Status.OK, new Metadata());
    assertEquals(List.of("resp"), listener.messages);
    assertEquals(Status.Code.OK, listener.status.getCode());
    assertEquals(1, listener.closeCount);
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(3, hedges.size());
  }

  @Test
  void aNonFatalFailureSendsTheNextHedgeAtOnce() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    fail(hedges.get(0), Status.UNAVAILABLE, new Metadata());
    assertEquals(2, hedges.size(), "no waiting for the delay");
    assertEquals(0, listener.closeCount);
    clock.forwardTime(1, TimeUnit.SECONDS);
    assertEquals(3, hedges.size(), "the delay runs again from the new hedge");
  }

  @Test
  void aFatalFailureEndsTheCallAndCancelsTheOthers() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    clock.forwardTime(1, TimeUnit.SECONDS);
    fail(hedges.get(1), Status.INVALID_ARGUMENT.withDescription("bad"), new Metadata());
    assertEquals("bad", listener.status.getDescription());
    assertEquals(Status.Code.CANCELLED, hedges.get(0).cancelReason.getCode());
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(2, hedges.size());
    assertEquals(1, listener.closeCount);
  }

  @Test
  void whenEveryHedgeFailsTheCallEndsWithTheLastFailure() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    fail(hedges.get(0), Status.UNAVAILABLE.withDescription("one"), new Metadata());
    fail(hedges.get(1), Status.UNAVAILABLE.withDescription("two"), new Metadata());
    assertEquals(0, listener.closeCount);
    fail(hedges.get(2), Status.UNAVAILABLE.withDescription("three"), new Metadata());
    assertEquals("three", listener.status.getDescription());
    assertEquals(1, listener.closeCount);
  }

  @Test
  void pushbackDelaysTheNextHedgeOrStopsHedging() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    fail(hedges.get(0), Status.UNAVAILABLE, new Metadata().putReceived(Pushback.KEY, "3000"));
    clock.forwardTime(2999, TimeUnit.MILLISECONDS);
    assertEquals(1, hedges.size(), "the pushback replaces the hedging delay");
    clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertEquals(2, hedges.size());

    fail(hedges.get(1), Status.UNAVAILABLE.withDescription("stop"), pushback("-1"));
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(2, hedges.size());
    assertEquals("stop", listener.status.getDescription());
  }

  @Test
  void aThrottledChannelSendsNoMoreHedges() {
    RetryThrottle throttle = new RetryThrottle(2, 0.1); // one failure brings it to half
    HedgingStream<String> s = stream(POLICY, throttle);
    s.start(listener);
    fail(hedges.get(0), Status.UNAVAILABLE.withDescription("throttled"), new Metadata());
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(1, hedges.size());
    assertEquals("throttled", listener.status.getDescription());
  }

  @Test
  void aRefusedHedgeIsReplacedWithoutCounting() {
    source.refuseNext = 1;
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    s.writeMessage("req");
    assertEquals(2, hedges.size(), "the refused first hedge was replaced at once");
    assertEquals(1, s.hedgesSent());
    assertEquals(List.of("start", "write req"), hedges.get(1).events);
    assertEquals(0, listener.closeCount);
  }

  @Test
  void cancellingEndsEveryHedgeOnce() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    clock.forwardTime(1, TimeUnit.SECONDS);
    s.cancel(Status.DEADLINE_EXCEEDED.withDescription("deadline"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, hedges.get(0).cancelReason.getCode());
    assertEquals(Status.Code.DEADLINE_EXCEEDED, hedges.get(1).cancelReason.getCode());
    assertEquals("deadline", listener.status.getDescription());
    assertEquals(1, listener.closeCount);
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(2, hedges.size());
  }

  @Test
  void cancellingWhileWaitingForAPushbackClosesAtOnce() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    fail(hedges.get(0), Status.UNAVAILABLE, pushback("5000"));
    s.cancel(Status.CANCELLED.withDescription("app"));
    assertEquals("app", listener.status.getDescription());
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(1, hedges.size());
    assertEquals(1, listener.closeCount);
  }

  @Test
  void aLosersMessageIsReleased() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    clock.forwardTime(1, TimeUnit.SECONDS);
    hedges.get(0).deliverHeaders(new Metadata());
    assertTrue(hedges.get(1).deliverMessage("late").closed);
    assertTrue(listener.messages.isEmpty());
  }

  @Test
  void tooManyOperationsStopNewHedgesButTheLiveOnesCarryOn() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    for (int i = 0; i <= ReplayBuffer.MAX_OPERATIONS; i++) {
      s.writeMessage("m" + i);
    }
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(1, hedges.size());
    hedges.get(0).close(Status.OK, new Metadata());
    assertEquals(Status.Code.OK, listener.status.getCode());
  }

  @Test
  void pastTheByteLimitNoNewHedgeStartsAndTheBytesComeBack() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    s.writeMessage("x".repeat(1001));
    assertEquals(0, budget.used());
    clock.forwardTime(1, TimeUnit.MINUTES);
    assertEquals(1, hedges.size());
    hedges.get(0).close(Status.OK, new Metadata());
    assertEquals(Status.Code.OK, listener.status.getCode());
  }

  @Test
  void theBytesComeBackWhenAHedgeWins() {
    HedgingStream<String> s = stream(POLICY, null);
    s.start(listener);
    s.writeMessage("12345");
    clock.forwardTime(1, TimeUnit.SECONDS);
    assertEquals(5, budget.used());
    hedges.get(1).deliverHeaders(new Metadata());
    assertEquals(0, budget.used());
  }

  private static Metadata pushback(String value) {
    return new Metadata().putReceived(Pushback.KEY, value);
  }
}
