package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.StreamProgress;
import dev.switchboard.testing.StringMarshaller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Transparent retry of attempts no server saw. */
class RetriableStreamTest {
  private final List<Runnable> executorTasks = new ArrayList<>();
  private boolean deferExecutor;
  private final Executor executor =
      task -> {
        if (deferExecutor) {
          executorTasks.add(task);
        } else {
          task.run();
        }
      };

  /** Each attempt goes to the next transport; a shut-down one refuses it. */
  private final FakeAttempts attempts = new FakeAttempts();

  private final RecordingTransportListener listener = new RecordingTransportListener();
  private final RetriableStream<String> stream =
      new RetriableStream<>(
          attempts,
          ChannelFixture.BIDI,
          new Metadata(),
          CallOptions.DEFAULT,
          StringMarshaller.INSTANCE,
          executor);

  private void sendAll() {
    stream.request(1);
    stream.writeMessage("a");
    stream.flush();
    stream.halfClose();
  }

  @Test
  void refusedAttemptIsRetriedOnANewPickReplayingEverything() {
    attempts.refuseNext = 1;
    stream.start(listener);
    sendAll();
    assertEquals(2, attempts.transports.size());
    assertEquals(List.of("start"), attempts.transports.get(0).streams.get(0).events);
    assertEquals(
        List.of("start", "request 1", "write a", "flush", "halfClose"),
        attempts.transports.get(1).streams.get(0).events);
    assertEquals(0, listener.closeCount, "the application never sees the refused attempt");
    assertEquals(1, stream.retries());
  }

  @Test
  void refusalAfterOperationsReplaysThemToo() {
    stream.start(listener);
    sendAll();
    attempts
        .transports
        .get(0)
        .lastStream()
        .listener
        .closed(
            Status.UNAVAILABLE.withDescription("REFUSED_STREAM"),
            StreamProgress.REFUSED,
            new Metadata());
    assertEquals(
        List.of("start", "request 1", "write a", "flush", "halfClose"),
        attempts.transports.get(1).streams.get(0).events);
    assertEquals(0, listener.closeCount);
  }

  @Test
  void processedFailureIsNotRetried() {
    stream.start(listener);
    attempts
        .transports
        .get(0)
        .lastStream()
        .listener
        .closed(Status.UNAVAILABLE.withDescription("connection reset"), new Metadata());
    assertEquals(1, attempts.transports.size());
    assertEquals("connection reset", listener.status.getDescription());
  }

  @Test
  void noRetryOnceAResponseArrived() {
    stream.start(listener);
    FakeStream<String> first = attempts.transports.get(0).lastStream();
    first.deliverHeaders(new Metadata());
    first.listener.closed(Status.UNAVAILABLE, StreamProgress.REFUSED, new Metadata());
    assertEquals(1, attempts.transports.size());
    assertEquals(Status.UNAVAILABLE, listener.status);
  }

  @Test
  void retriesAreCapped() {
    attempts.refuseNext = Integer.MAX_VALUE;
    stream.start(listener);
    assertEquals(RetriableStream.MAX_TRANSPARENT_RETRIES + 1, attempts.transports.size());
    assertEquals("transport is shutting down", listener.status.getDescription());
    assertEquals(1, listener.closeCount);
  }

  @Test
  void tooManyOperationsToReplayMeansNoRetry() {
    stream.start(listener);
    for (int i = 0; i <= ReplayBuffer.MAX_OPERATIONS; i++) {
      stream.writeMessage("m" + i);
    }
    attempts
        .transports
        .get(0)
        .lastStream()
        .listener
        .closed(Status.UNAVAILABLE, StreamProgress.REFUSED, new Metadata());
    assertEquals(1, attempts.transports.size());
    assertEquals(Status.UNAVAILABLE, listener.status);
  }

  @Test
  void cancelWhileARetryIsPendingClosesOnceWithTheCancelStatus() {
    deferExecutor = true;
    attempts.refuseNext = 1;
    stream.start(listener);
    assertEquals(1, executorTasks.size(), "the retry runs on the call executor");
    stream.cancel(Status.CANCELLED.withDescription("deadline"));
    executorTasks.remove(0).run();
    assertEquals(1, attempts.transports.size(), "no new attempt after cancel");
    assertEquals("deadline", listener.status.getDescription());
    assertEquals(1, listener.closeCount);
  }

  @Test
  void cancelGoesToTheCurrentAttempt() {
    attempts.refuseNext = 1;
    stream.start(listener);
    stream.cancel(Status.CANCELLED);
    assertEquals(Status.CANCELLED, attempts.transports.get(1).lastStream().cancelReason);
    assertNull(attempts.transports.get(0).lastStream().cancelReason);
    assertEquals(1, listener.closeCount);
    assertFalse(stream.isReady());
  }

  @Test
  void readyFollowsTheCurrentAttempt() {
    attempts.refuseNext = 1;
    stream.start(listener);
    assertTrue(stream.isReady());
  }

  @Test
  void onReadyBeforeTheAttemptIsPublishedWaitsUntilIsReadyCanSayTrue() {
    attempts.readyOnStart =
        true; // the picked stream reports ready before newAttempt has returned it
    listener.readiness = stream::isReady;
    stream.start(listener);
    assertEquals(List.of(true), listener.readyChecks);
  }

  @Test
  void theRetriedAttemptsOnReadyIsNotLostEither() {
    attempts.readyOnStart = true;
    attempts.refuseNext = 1;
    listener.readiness = stream::isReady;
    stream.start(listener);
    assertEquals(2, attempts.transports.size());
    assertEquals(List.of(true), listener.readyChecks);
  }
}
