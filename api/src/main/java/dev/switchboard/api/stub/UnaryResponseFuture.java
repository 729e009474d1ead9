package dev.switchboard.api.stub;

import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The result of a unary-response call: completes with the one response, or exceptionally with a
 * {@link StatusRuntimeException} carrying the status and trailers. Cancelling the future cancels
 * the call. Its {@link #listener()} is the call's listener.
 */
final class UnaryResponseFuture<RespT> extends CompletableFuture<RespT> {
  private final ClientStream<?, RespT> call;

  UnaryResponseFuture(ClientStream<?, RespT> call) {
    this.call = call;
  }

  ClientStreamListener<RespT> listener() {
    return new Listener();
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      call.cancel("The future was cancelled", null);
    }
    return cancelled;
  }

  /**
   * The response, for a future known to be done.
   *
   * @throws StatusRuntimeException when the call failed
   */
  RespT response() {
    try {
      return join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof StatusRuntimeException sre) {
        throw sre;
      }
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (CancellationException e) {
      throw Status.CANCELLED
          .withDescription("The future was cancelled")
          .withCause(e)
          .asRuntimeException();
    }
  }

  @Override
  public String toString() {
    return "UnaryResponseFuture(" + (isDone() ? "done" : "pending") + ")";
  }

  /** Runs on the call's callback thread. */
  private final class Listener extends ClientStreamListener<RespT> {
    private RespT value;
    private boolean received;
    private Status failure;

    @Override
    public void onMessage(RespT message) {
      if (received) {
        if (failure == null) {
          failure =
              Status.INTERNAL.withDescription("More than one response received for a unary call");
          call.cancel(failure.getDescription(), null);
        }
        return;
      }
      received = true;
      value = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (failure != null) {
        completeExceptionally(failure.asRuntimeException());
      } else if (!status.isOk()) {
        completeExceptionally(status.asRuntimeException(trailers));
      } else if (!received) {
        completeExceptionally(
            Status.INTERNAL
                .withDescription("No response received for a unary call")
                .asRuntimeException(trailers));
      } else {
        complete(value);
      }
    }
  }
}
