package dev.switchboard.api.telemetry;

import dev.switchboard.api.Context;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Follows one server call, from the request headers to the end. Every method but the factory's has
 * an empty default.
 *
 * <p>Threads: {@link #filterContext} and inbound events come from the transport's thread or the
 * call's serializer, outbound events from the thread the handler sends on; an outbound and an
 * inbound event may run at the same time, so a tracer keeps thread-safe state. {@link #callEnded}
 * comes last, once.
 *
 * @since 0.3
 */
@ConsumerType
public interface ServerCallTracer {
  /**
   * The {@link Context} the handler will run in; the tracer may return it with values of its own
   * (the server span, so that the handler's own client calls become its children). Called once,
   * before the handler starts.
   *
   * @param context the call's context (its deadline and cancellation)
   * @return {@code context} or a context derived from it
   */
  default Context filterContext(Context context) {
    return context;
  }

  /**
   * The response headers are about to be sent.
   *
   * @param headers the headers (read only)
   */
  default void outboundHeaders(Metadata headers) {}

  /**
   * A request message arrived whole.
   *
   * @param seqNo the message's number in the call, from 0
   * @param wireSize its size on the wire: compressed when the client compressed it, without the
   *     5-byte message prefix
   * @param uncompressedSize its size after decompression, or -1 when not known
   */
  default void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {}

  /**
   * A response message was framed for sending.
   *
   * @param seqNo the message's number in the call, from 0
   * @param wireSize its size on the wire: after compression, without the 5-byte message prefix
   * @param uncompressedSize its size before compression, or -1 when not known
   */
  default void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {}

  /**
   * The call is over with {@code status}: the one the handler closed with, or why it was cancelled.
   * Called once, last.
   *
   * @param status how the call ended
   */
  default void callEnded(Status status) {}

  /**
   * Makes a tracer per server call.
   *
   * @since 0.3
   */
  @ConsumerType
  interface Factory {
    /**
     * A call arrived (on the transport's thread: keep it short).
     *
     * @param info the method, whether it is registered, the request headers
     * @return the call's tracer, or {@code null} to leave this call untraced
     */
    ServerCallTracer newCallTracer(ServerCallInfo info);
  }
}
