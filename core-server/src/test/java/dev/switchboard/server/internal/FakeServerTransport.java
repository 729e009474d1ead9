package dev.switchboard.server.internal;

import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ServerTransport;
import dev.switchboard.api.transport.ServerTransportListener;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.api.transport.TransportProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * A server transport that "listens" on 127.0.0.1:4321, accepts {@link FakeConnection}s when the
 * test says so, and reports {@code serverShutdown} synchronously from {@link #shutdown}. Also its
 * own {@link TransportProvider}, named {@value #NAME}.
 */
final class FakeServerTransport implements ServerTransport, TransportProvider {
  static final String NAME = "fake";

  ServerTransportOptions options;
  ServerTransportListener listener;
  IOException startFailure;
  boolean shutdownCalled;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ClientTransportFactory newClientTransportFactory(TransportCredentials credentials) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ServerTransport newServerTransport(ServerTransportOptions options) {
    this.options = options;
    return this;
  }

  @Override
  public void start(ServerTransportListener listener) throws IOException {
    if (startFailure != null) {
      throw startFailure;
    }
    this.listener = listener;
  }

  @Override
  public List<SocketAddress> listenAddresses() {
    return List.of(new InetSocketAddress("127.0.0.1", 4321));
  }

  @Override
  public void shutdown() {
    shutdownCalled = true;
    listener.serverShutdown();
  }

  /** A client connects. */
  FakeConnection accept() {
    FakeConnection connection = new FakeConnection();
    connection.listener = listener.connectionCreated(connection);
    connection.terminateIfIdle(); // as a transport would, once it has the listener
    return connection;
  }
}
