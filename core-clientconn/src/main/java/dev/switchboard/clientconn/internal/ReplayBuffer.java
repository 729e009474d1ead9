package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Marshaller;
import dev.switchboard.api.transport.ClientTransportStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a call did so far, kept to replay on a new attempt ({@link RetriableStream}) or hedge
 * ({@link HedgingStream}), within limits: at most {@value #MAX_OPERATIONS} operations, the call's
 * byte limit, and the channel's {@link ReplayBudget}. Past a limit it reports {@link
 * #isOverLimit()}; its owner then {@linkplain #release() releases} it as soon as the current
 * attempt has every operation (an operation is never dropped that no stream received). Not
 * thread-safe: the owner's lock guards it.
 */
final class ReplayBuffer<ReqT> {
  /** The most operations kept. */
  static final int MAX_OPERATIONS = 128;

  private final List<Consumer<ClientTransportStream<ReqT>>> operations = new ArrayList<>();
  private final ReplayBudget budget;
  private final long perCallLimit;
  private long bytes; // reserved from the budget
  private boolean overLimit;

  ReplayBuffer(ReplayBudget budget, long perCallLimit) {
    this.budget = budget;
    this.perCallLimit = perCallLimit;
  }

  /** Keeps an operation that carries no message. */
  void add(Consumer<ClientTransportStream<ReqT>> op) {
    operations.add(op);
    if (operations.size() > MAX_OPERATIONS) {
      overLimit = true;
    }
  }

  /** Keeps a message write of {@code messageBytes}, counted against the limits. */
  void addMessage(Consumer<ClientTransportStream<ReqT>> op, long messageBytes) {
    add(op);
    if (overLimit) {
      return;
    }
    if (messageBytes > perCallLimit - bytes || !budget.tryReserve(messageBytes)) {
      overLimit = true;
    } else {
      bytes += messageBytes;
    }
  }

  /**
   * {@return the bytes {@code message} takes}: its marshaller's size, or, when the marshaller does
   * not know it cheaply, the bytes it encodes to (counted, not kept); {@link Long#MAX_VALUE} when
   * encoding fails, so such a message is never kept.
   */
  static <T> long sizeOf(Marshaller<T> marshaller, T message) {
    int known = marshaller.sizeOf(message);
    if (known >= 0) {
      return known;
    }
    long[] count = new long[1];
    OutputStream counter =
        new OutputStream() {
          @Override
          public void write(int b) {
            count[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            count[0] += len;
          }
        };
    try {
      marshaller.encode(message, counter);
      return count[0];
    } catch (IOException | RuntimeException e) {
      return Long.MAX_VALUE; // the real write will report the problem
    }
  }

  /** Whether a limit was passed: the owner stops keeping it once a stream has it all. */
  boolean isOverLimit() {
    return overLimit;
  }

  /** Replays every operation, in order, on {@code stream}. */
  void replayOn(ClientTransportStream<ReqT> stream) {
    for (Consumer<ClientTransportStream<ReqT>> op : operations) {
      op.accept(stream);
    }
  }

  /** Gives its bytes back to the channel; the owner drops it. Idempotent. */
  void release() {
    budget.release(bytes);
    bytes = 0;
    operations.clear();
  }
}
