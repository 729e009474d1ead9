package dev.switchboard.clientconn.internal;

import dev.switchboard.api.transport.ClientTransportStream;
import java.util.function.Consumer;

/**
 * A call's stream over attempts that replay what the call did ({@link RetriableStream}, {@link
 * HedgingStream}): every outbound operation becomes one {@link #run} of a function on the attempts'
 * streams, which the subclass records and passes on.
 */
abstract class ReplayingStream<ReqT> implements ClientTransportStream<ReqT> {
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
