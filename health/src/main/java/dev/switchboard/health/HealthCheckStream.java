package dev.switchboard.health;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.HealthCheckListener;
import dev.switchboard.api.spi.HealthCheckProvider;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.health.v1.HealthCheckRequest;
import dev.switchboard.health.v1.HealthCheckResponse;
import dev.switchboard.health.v1.HealthSwitchboard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One {@code grpc.health.v1.Health/Watch} call on one connection, straight on the transport (the
 * channel's call path would pick a connection; this must use the one it checks). Each response is
 * parsed on the transport's thread and handed to the {@link HealthCheckListener}, then the next one
 * is asked for: one message in flight at a time, so a chatty server cannot make it buffer. A
 * response larger than {@value #MAX_RESPONSE_SIZE} bytes (a real one is a few bytes) ends the
 * stream with RESOURCE_EXHAUSTED, which the channel treats as any ended watch.
 */
final class HealthCheckStream implements HealthCheckProvider.Watch, ClientTransportStreamListener {
  /** The largest response accepted, in bytes. */
  static final int MAX_RESPONSE_SIZE = 16 * 1024;

  private final HealthCheckListener listener;
  private final ClientTransportStream<HealthCheckRequest> stream;
  private volatile boolean cancelled;

  HealthCheckStream(ClientTransport transport, String serviceName, HealthCheckListener listener) {
    this.listener = listener;
    this.stream =
        transport.newStream(
            HealthSwitchboard.METHOD_WATCH,
            new Metadata(),
            CallOptions.DEFAULT.withMaxInboundMessageSize(MAX_RESPONSE_SIZE),
            RequestMarshaller.INSTANCE);
    stream.start(this);
    stream.writeMessage(HealthCheckRequest.newBuilder().setService(serviceName).build());
    stream.halfClose();
    stream.request(1);
  }

  @Override
  public void cancel() {
    cancelled = true;
    stream.cancel(Status.CANCELLED.withDescription("health check no longer needed"));
  }

  @Override
  public void headersRead(Metadata headers) {}

  @Override
  public void messageRead(InputStream message) {
    HealthCheckResponse response;
    try (InputStream in = message) {
      response = HealthCheckResponse.parseFrom(in);
    } catch (IOException e) {
      stream.cancel(Status.INTERNAL.withDescription("invalid health check response").withCause(e));
      return;
    }
    if (!cancelled) {
      HealthCheckResponse.ServingStatus status = response.getStatus();
      listener.statusReceived(
          status == HealthCheckResponse.ServingStatus.SERVING, String.valueOf(status));
      stream.request(1);
    }
  }

  @Override
  public void closed(Status status, Metadata trailers) {
    if (!cancelled) {
      listener.watchEnded(status);
    }
  }

  @Override
  public void onReady() {}

  /** Encodes the request; responses are parsed in {@link #messageRead}. */
  private enum RequestMarshaller implements Marshaller<HealthCheckRequest> {
    INSTANCE;

    @Override
    public int sizeOf(HealthCheckRequest message) {
      return message.getSerializedSize();
    }

    @Override
    public void encode(HealthCheckRequest message, OutputStream out) throws IOException {
      message.writeTo(out);
    }

    @Override
    public HealthCheckRequest decode(InputStream in) throws IOException {
      return HealthCheckRequest.parseFrom(in);
    }
  }
}
