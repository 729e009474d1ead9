package dev.switchboard.api.stub;

import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Queue;

/**
 * The responses of a blocking server-streaming call, one at a time: the next response is requested
 * only once the previous one was taken, so at most one is buffered. {@link #hasNext} blocks,
 * running the call's callbacks on the caller's thread (see {@link BlockingCallExecutor}); after a
 * non-OK end it throws a {@code StatusRuntimeException} carrying the trailers, every time it is
 * asked. Interrupting the waiting thread cancels the call.
 *
 * <p>Not thread-safe: one thread at a time. The listener runs on that thread too, inside {@link
 * #hasNext}, so the buffer needs no lock.
 */
final class BlockingResponseIterator<RespT> implements Iterator<RespT> {
  private final ClientStream<?, RespT> call;
  private final BlockingCallExecutor executor;
  private final Queue<RespT> buffer = new ArrayDeque<>(1);
  private Status closeStatus; // null while open
  private Metadata closeTrailers;

  BlockingResponseIterator(ClientStream<?, RespT> call, BlockingCallExecutor executor) {
    this.call = call;
    this.executor = executor;
  }

  ClientStreamListener<RespT> listener() {
    return new Listener();
  }

  @Override
  public boolean hasNext() {
    executor.drainUntil(() -> !buffer.isEmpty() || closeStatus != null, call);
    if (!buffer.isEmpty()) {
      return true;
    }
    if (closeStatus.isOk()) {
      return false;
    }
    throw closeStatus.asRuntimeException(closeTrailers);
  }

  @Override
  public RespT next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RespT response = buffer.remove();
    if (closeStatus == null) {
      call.request(1);
    }
    return response;
  }

  /** Runs on the iterating thread, inside {@link BlockingCallExecutor#drainUntil}. */
  private final class Listener extends ClientStreamListener<RespT> {
    @Override
    public void onMessage(RespT message) {
      buffer.add(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      closeStatus = status;
      closeTrailers = trailers;
    }
  }
}
