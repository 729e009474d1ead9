package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * What client and server streams share: outbound readiness accounting and the finished flag.
 *
 * <p>Readiness: the sending thread adds a message's size before queueing it ({@link
 * #onSendingBytes}); the event loop subtracts it once the bytes are written to the socket or
 * dropped ({@link #onSentBytes}). The stream is ready while the stream is allocated, not finished,
 * and fewer than {@value #ON_READY_THRESHOLD} bytes are outstanding; crossing back under the
 * threshold calls {@link #notifyOnReady} on the event loop.
 */
abstract class AbstractNettyStream implements MessageDeframer.Sink {
  /** Outstanding outbound bytes above which a stream is not ready. */
  static final int ON_READY_THRESHOLD = 32 * 1024;

  private static final AtomicIntegerFieldUpdater<AbstractNettyStream> QUEUED_BYTES =
      AtomicIntegerFieldUpdater.newUpdater(AbstractNettyStream.class, "queuedBytes");

  // Any thread.
  private volatile int queuedBytes;
  // Written only on the event loop, read anywhere.
  private volatile boolean allocated;
  private volatile boolean finished;

  /** The connection's handler. */
  abstract AbstractGrpcHandler handler();

  /** The HTTP/2 stream id, or -1 before one is assigned. Event loop only. */
  abstract int id();

  /** Whether a message may be written now. Event loop only. */
  abstract boolean canSendOnEventLoop();

  /** Delivers more messages as allowed. Event loop only. */
  abstract void requestOnEventLoop(int numMessages);

  /** Cancels: reset on the wire, listener closed with {@code reason}. Event loop only. */
  abstract void cancelOnEventLoop(Status reason);

  /** Calls the listener's {@code onReady}. Event loop only. */
  abstract void notifyOnReady();

  /** True when a write would not exceed the threshold. Any thread. */
  final boolean isReadyNow() {
    return allocated && !finished && queuedBytes < ON_READY_THRESHOLD;
  }

  /** A message of {@code numBytes} is about to be queued. Sending thread. */
  final void onSendingBytes(int numBytes) {
    QUEUED_BYTES.addAndGet(this, numBytes);
  }

  /** A queued message left the stream (written or dropped). Event loop only. */
  final void onSentBytes(int numBytes) {
    int after = QUEUED_BYTES.addAndGet(this, -numBytes);
    if (after < ON_READY_THRESHOLD && after + numBytes >= ON_READY_THRESHOLD
        && allocated && !finished) {
      notifyOnReady();
    }
  }

  /** The stream exists on the wire (or is buffered for it). Event loop only. */
  final void markAllocated() {
    allocated = true;
    if (isReadyNow()) {
      notifyOnReady();
    }
  }

  /** The listener was (or is being) closed. Event loop only. */
  final void markFinished() {
    finished = true;
  }

  /** Whether the listener has been closed. Any thread; exact on the event loop. */
  final boolean isFinished() {
    return finished;
  }
}
