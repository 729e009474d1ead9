package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import java.util.function.Consumer;

/**
 * A call's stream over attempts that replay what the call did ({@link RetriableStream}, {@link
 * HedgingStream}): every outbound operation becomes one {@link #run} of a function on the attempts'
 * streams, which the subclass records and passes on.
 */
abstract class ReplayingStream<ReqT> implements ClientTransportStream<ReqT> {
  /** The call's tracers, or null when untraced; set before {@code start}. */
  private CallTracing tracing;

  /** Traces every attempt with {@code tracing} (null: none). Call before {@code start}. */
  final void traceWith(CallTracing tracing) {
    this.tracing = tracing;
  }

  /**
   * An attempt is about to start: when traced, tells the tracers and returns the attempt's listener
   * wrapped in its {@link TracedAttempt} (whose {@link TracedAttempt#outboundHeaders} gives the
   * attempt's headers); untraced, returns {@code listener}.
   */
  final ClientTransportStreamListener traced(
      ClientTransportStreamListener listener, int previousAttempts, boolean transparentRetry) {
    CallTracing t = tracing;
    return t == null ? listener : t.newAttempt(previousAttempts, transparentRetry, listener);
  }

  /** {@return the headers an attempt sends: the tracers' copy when traced} */
  static Metadata attemptHeaders(ClientTransportStreamListener attemptListener, Metadata headers) {
    return attemptListener instanceof TracedAttempt t ? t.outboundHeaders(headers) : headers;
  }

  /**
   * Passes {@code op} to the live attempts and records it for new ones; {@code message}, when not
   * null, is the message it writes, counted against the replay buffer's byte limits.
   */
  abstract void run(Consumer<ClientTransportStream<ReqT>> op, ReqT message);

  @Override
  public final void request(int numMessages) {
    run(s -> s.request(numMessages), null);
  }

  @Override
  public final void writeMessage(ReqT message) {
    run(s -> s.writeMessage(message), message);
  }

  @Override
  public final void flush() {
    run(ClientTransportStream::flush, null);
  }

  @Override
  public final void halfClose() {
    run(ClientTransportStream::halfClose, null);
  }

  @Override
  public final void setMessageCompression(boolean enabled) {
    run(s -> s.setMessageCompression(enabled), null);
  }
}
