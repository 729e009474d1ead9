package dev.switchboard.api.transport;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One client connection (an HTTP/2 connection for Netty). Thread-safe.
 *
 * <p>Lifecycle, reported to the {@link ClientTransportListener}: {@link #start} begins connecting;
 * {@code transportReady} once streams can be created (HTTP/2 preface and SETTINGS exchanged);
 * {@code transportShutdown(status)} exactly once when it stops taking new streams (GOAWAY received,
 * connect failure, connection loss, or {@link #shutdown}); {@code transportTerminated} exactly
 * once, last, after every stream has closed and the connection is gone.
 *
 * @since 0.1
 */
@ConsumerType
public interface ClientTransport {
  /**
   * The number of attempts of the call that came before this stream (gRFC A6 retries): a transport
   * sends it as the {@code grpc-previous-rpc-attempts} request header when above 0.
   *
   * @since 0.3
   */
  CallOptions.Key<Integer> PREVIOUS_RPC_ATTEMPTS =
      CallOptions.Key.create("grpc-previous-rpc-attempts", 0);

  /**
   * Starts connecting. Called once.
   *
   * @param listener receives the lifecycle events, not null
   */
  void start(ClientTransportListener listener);

  /**
   * Creates a stream for one call; nothing is sent until {@link ClientTransportStream#start}. If
   * the transport cannot take it, the stream closes with UNAVAILABLE on start. {@code headers} are
   * the application's; the transport adds the protocol headers, including {@code grpc-timeout} from
   * the call options' deadline and {@code grpc-encoding} from their compressor name.
   *
   * @param method the method called
   * @param headers the application's headers; handed over to the transport
   * @param callOptions the call's options (deadline, compressor, authority, size limits)
   * @param requestMarshaller how to encode requests on {@link ClientTransportStream#writeMessage}
   * @param <ReqT> request message type
   * @return a new, unstarted stream
   */
  <ReqT> ClientTransportStream<ReqT> newStream(
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> requestMarshaller);

  /**
   * Stops taking new streams (sends GOAWAY); existing streams continue.
   *
   * @param reason reported to the listener's {@code transportShutdown}
   */
  void shutdown(Status reason);

  /**
   * Stops now: existing streams close with {@code reason}, the connection closes.
   *
   * @param reason the status the open streams close with
   */
  void shutdownNow(Status reason);

  /**
   * {@return connection attributes: see {@link TransportAttributes}; empty before the connection is
   * up}
   */
  Attributes attributes();

  /**
   * {@return this connection as channelz sees it (counters, addresses, windows), or null when the
   * transport keeps no counters} The core registers it in the {@link
   * dev.switchboard.api.channelz.ChannelzRegistry} while the connection lives; called once, and the
   * same object is returned each time.
   *
   * @since 0.3
   */
  default dev.switchboard.api.channelz.ChannelzSocket channelzSocket() {
    return null;
  }
}
