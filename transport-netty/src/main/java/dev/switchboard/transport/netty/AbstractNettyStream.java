package dev.switchboard.transport.netty;

import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.spi.Compressor;
import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * What client and server streams share: framing and queueing outbound messages, cancellation from
 * any thread, outbound readiness accounting, returning inbound window and the finished flag.
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

  private final WriteQueue writeQueue;
  private final MessageFramer framer;

  // Call thread.
  private boolean messageCompression = true;
  // Any thread: once set, later messages are dropped without encoding.
  private volatile boolean cancelRequested;
  private volatile int queuedBytes;
  // Written only on the event loop, read anywhere.
  private volatile boolean allocated;
  private volatile boolean finished;

  AbstractNettyStream(WriteQueue writeQueue, MessageFramer framer) {
    this.writeQueue = writeQueue;
    this.framer = framer;
  }

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

  /** Tells the listener a message was framed, with its sizes (for telemetry). Call thread. */
  abstract void messageFramed(long wireSize, long uncompressedSize);

  /** Calls the listener's {@code onReady}. Event loop only. */
  abstract void notifyOnReady();

  /** Where this stream's commands go to the event loop. */
  final WriteQueue writeQueue() {
    return writeQueue;
  }

  /**
   * Frames {@code message} (compressed with {@code compressor} unless message compression was
   * turned off; {@code null}: identity) and queues it, counting its bytes against readiness. A
   * message too large or failing to encode cancels the stream; after a cancel, messages are
   * dropped. Call thread.
   */
  final <T> void queueMessage(T message, Marshaller<T> marshaller, Compressor compressor) {
    if (cancelRequested) {
      return;
    }
    ByteBuf frame;
    try {
      frame = framer.frame(message, marshaller, messageCompression ? compressor : null);
    } catch (StatusException e) {
      cancel(e.getStatus());
      return;
    }
    int wireSize = frame.readableBytes() - MessageDeframer.HEADER_LENGTH;
    messageFramed(wireSize, framer.lastUncompressedSize());
    SendMessageCommand command = new SendMessageCommand(this, frame);
    onSendingBytes(command.size());
    writeQueue.enqueue(command, false); // sent with the next flush (or half-close, trailers)
  }

  /**
   * Asks for {@code numMessages} more inbound messages; the event loop delivers them as they come.
   * Any thread.
   *
   * @throws IllegalArgumentException when {@code numMessages} is negative
   */
  public final void request(int numMessages) {
    if (numMessages < 0) {
      throw new IllegalArgumentException("numMessages must not be negative: " + numMessages);
    }
    if (numMessages > 0) {
      if (handler().inEventLoop()) {
        requestOnEventLoop(numMessages); // e.g. asked while the call starts, or a direct executor
      } else {
        writeQueue.enqueue(new RequestMessagesCommand(this, numMessages));
      }
    }
  }

  /** Whether {@link #cancel} was called. Any thread. */
  final boolean isCancelRequested() {
    return cancelRequested;
  }

  /** Resets the stream and closes its listener with {@code reason}. Any thread. */
  public final void cancel(Status reason) {
    Objects.requireNonNull(reason, "reason");
    cancelRequested = true;
    writeQueue.enqueue(new CancelStreamCommand(this, reason));
  }

  /** Whether a message may be sent without piling up; see the class comment. Any thread. */
  public final boolean isReady() {
    return isReadyNow();
  }

  /** Sends what was written since the last flush. Call thread. */
  public final void flush() {
    writeQueue.flush();
  }

  /** Turns compression of the following messages off or back on. Call thread. */
  public final void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  /** The deframer consumed {@code numBytes}: the peer may send that much more. Event loop. */
  @Override
  public final void bytesConsumed(int numBytes) {
    handler().returnWindow(id(), numBytes);
  }

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
    if (after < ON_READY_THRESHOLD
        && after + numBytes >= ON_READY_THRESHOLD
        && allocated
        && !finished) {
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
