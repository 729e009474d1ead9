package dev.switchboard.interop;

import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ServerCallStreamObserver;
import dev.switchboard.interop.proto.Messages.ResponseParameters;
import dev.switchboard.interop.proto.Messages.StreamingOutputCallResponse;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends the responses of one streaming call, one per {@link ResponseParameters}, in order: each
 * waits its {@code interval_us} after the previous one was sent (on a timer, never blocking a
 * thread), is {@code size} zero bytes long and is compressed exactly when {@code compressed} says
 * so. The call completes once the input is done and every response is out.
 *
 * <p>Thread-safe: the call's callbacks feed it, the timer drains it; every use of the response
 * observer happens under this object's lock, so sends never overlap.
 */
final class ResponseStreamer {
  private final ServerCallStreamObserver<StreamingOutputCallResponse> out;
  private final ScheduledExecutorService timer;
  private final ArrayDeque<ResponseParameters> pending = new ArrayDeque<>();
  private boolean compressorChosen;
  private boolean headWaited; // the head of the queue has had its interval
  private boolean waiting; // a timer task will resume sending
  private boolean inputDone;
  private boolean ended;

  ResponseStreamer(
      ServerCallStreamObserver<StreamingOutputCallResponse> out, ScheduledExecutorService timer) {
    this.out = out;
    this.timer = timer;
  }

  /** Must be called while the service method sets the call up: stops sending once cancelled. */
  void installCancelHandler() {
    out.setOnCancelHandler(this::cancelled);
  }

  /**
   * Queues the responses one request asks for. The first request that wants any response compressed
   * chooses gzip for the call (before the headers go out, with the first response); messages are
   * then compressed one by one as asked.
   */
  synchronized void enqueue(List<ResponseParameters> responses) {
    if (ended) {
      return;
    }
    if (!compressorChosen) {
      compressorChosen = true;
      if (responses.stream().anyMatch(p -> p.hasCompressed() && p.getCompressed().getValue())) {
        out.setCompression("gzip");
      }
    }
    pending.addAll(responses);
    drain();
  }

  /** No more requests: complete once the queue is empty. */
  synchronized void inputDone() {
    inputDone = true;
    drain();
  }

  /** Ends the call now with {@code status}, dropping what is queued. */
  synchronized void fail(Status status) {
    if (ended) {
      return;
    }
    ended = true;
    pending.clear();
    out.onError(status.asRuntimeException());
  }

  private synchronized void cancelled() {
    ended = true;
    pending.clear();
  }

  private synchronized void timerFired() {
    waiting = false;
    headWaited = true;
    drain();
  }

  private void drain() {
    while (!ended && !waiting && !pending.isEmpty()) {
      ResponseParameters next = pending.peek();
      if (next.getIntervalUs() > 0 && !headWaited) {
        waiting = true;
        try {
          timer.schedule(this::timerFired, next.getIntervalUs(), TimeUnit.MICROSECONDS);
        } catch (RejectedExecutionException e) { // server shutting down
          fail(Status.UNAVAILABLE.withDescription("server is shutting down"));
        }
        return;
      }
      pending.poll();
      headWaited = false;
      if (next.getSize() < 0) {
        fail(Status.INVALID_ARGUMENT.withDescription("negative response size " + next.getSize()));
        return;
      }
      out.setMessageCompression(next.hasCompressed() && next.getCompressed().getValue());
      out.onNext(
          StreamingOutputCallResponse.newBuilder()
              .setPayload(Payloads.zeros(next.getSize()))
              .build());
    }
    if (!ended && !waiting && pending.isEmpty() && inputDone) {
      ended = true;
      out.onCompleted();
    }
  }
}
