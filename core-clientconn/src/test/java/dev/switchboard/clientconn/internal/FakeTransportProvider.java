package dev.switchboard.clientconn.internal;

import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.api.transport.ServerTransport;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.api.transport.TransportProvider;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A transport provider whose transports the test drives by hand. Test thread only. */
class FakeTransportProvider implements TransportProvider {
  final String name;
  final List<FakeTransport> transports = new ArrayList<>();
  int factoriesCreated;
  int factoriesClosed;

  /** When set, transports report ready (or this failure) as soon as they start. */
  boolean autoReady;

  dev.switchboard.api.Status autoFail;

  /** What factories answer to {@link ClientTransportFactory#describe()}. */
  String description = "";

  FakeTransportProvider(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ClientTransportFactory newClientTransportFactory(TransportCredentials credentials) {
    factoriesCreated++;
    return new ClientTransportFactory() {
      @Override
      public FakeTransport newClientTransport(
          SocketAddress address, ClientTransportOptions options) {
        FakeTransport t = new FakeTransport(address, options, autoReady, autoFail);
        transports.add(t);
        return t;
      }

      @Override
      public String describe() {
        return description;
      }

      @Override
      public void close() {
        factoriesClosed++;
      }
    };
  }

  @Override
  public ServerTransport newServerTransport(ServerTransportOptions options) {
    throw new UnsupportedOperationException();
  }

  FakeTransport last() {
    return transports.get(transports.size() - 1);
  }
}
