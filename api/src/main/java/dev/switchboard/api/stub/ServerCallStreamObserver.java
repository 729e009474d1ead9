package dev.switchboard.api.stub;

import dev.switchboard.api.Deadline;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The response side of a server call, given to service methods by the handlers of {@link
 * ServerCalls}. Implemented by this package.
 *
 * <p>Headers go out lazily with the first message. {@link #onError} closes the call with {@link
 * dev.switchboard.api.Status#fromThrowable the throwable's status} (and the trailers of a {@code
 * StatusException}/{@code StatusRuntimeException}); {@link #onCompleted} closes it with OK.
 *
 * <p>Setup: the handler-setting methods and {@link #disableAutoInboundFlowControl} work only while
 * the service method runs for the first time (unary: while it handles the request; streaming:
 * before it returns its request observer); later they throw {@link IllegalStateException}.
 *
 * <p>Cancellation: once the call is cancelled, a streaming method's {@link #onNext} throws a
 * CANCELLED {@code StatusRuntimeException} (to stop the producer) unless an {@linkplain
 * #setOnCancelHandler on-cancel handler} is set, in which case it is ignored.
 *
 * @param <RespT> response type
 * @since 0.1
 */
@ProviderType
public abstract class ServerCallStreamObserver<RespT> extends CallStreamObserver<RespT> {
  /**
   * {@return whether the client cancelled, the deadline passed or the connection was lost} May be
   * called from any thread; a long-running method polls it to stop early.
   */
  public abstract boolean isCancelled();

  /**
   * Sets the task run, on the call's callback thread, when the call is cancelled. Setup only.
   *
   * @param onCancelHandler the task, or {@code null} for none
   * @throws IllegalStateException after setup
   */
  public abstract void setOnCancelHandler(Runnable onCancelHandler);

  /**
   * Sets the task run, on the call's callback thread, when the call completed normally (its status
   * was sent). Exactly one of this and the on-cancel handler runs. Setup only.
   *
   * @param onCloseHandler the task, or {@code null} for none
   * @throws IllegalStateException after setup
   */
  public abstract void setOnCloseHandler(Runnable onCloseHandler);

  /**
   * Chooses the response compressor ({@code "gzip"}); before the first message.
   *
   * @param compressorName a compressor registered with the server, such as {@code "gzip"}
   * @throws IllegalArgumentException for an unknown compressor
   */
  public abstract void setCompression(String compressorName);

  /**
   * {@return the call's deadline, from the client's {@code grpc-timeout}, or {@code null} when it
   * sent none}
   */
  public abstract Deadline getDeadline();
}
