package dev.switchboard.clientconn.internal;

import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.TransportProvider;
import java.util.HashMap;
import java.util.Map;

/**
 * One leased transport provider, its factory, and the connections made with it: one of the {@link
 * TransportGenerations}, which retires and closes it. Serializer only.
 */
final class TransportGeneration {
  // The pool's logger, as before the split: log configurations name it.
  private static final System.Logger LOG = System.getLogger(SubConnPool.class.getName());

  final Lease<TransportProvider> lease;
  final ClientTransportFactory factory;

  /** Live transports and the SubConn owning each. */
  final Map<ClientTransport, SubConnImpl> transports = new HashMap<>();

  boolean retired;
  boolean closed;

  TransportGeneration(Lease<TransportProvider> lease, ClientTransportFactory factory) {
    this.lease = lease;
    this.factory = factory;
  }

  /** Retired, and its last transport has gone: time to close. */
  boolean drained() {
    return retired && transports.isEmpty();
  }

  /** Closes the factory (a failure is logged, naming {@code transportName}) and the lease. */
  void close(String transportName) {
    closed = true;
    try {
      factory.close();
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "transport factory of '"
              + transportName
              + "' from "
              + lease.registration().origin()
              + " failed to close",
          e);
    }
    lease.close();
  }

  /**
   * "3 connection(s)", then how many are being connected or closing, if any, then how the factory
   * makes connections ("TLS by ...").
   */
  String connections() {
    int ready = 0;
    int connecting = 0;
    int closing = 0;
    for (Map.Entry<ClientTransport, SubConnImpl> e : transports.entrySet()) {
      switch (e.getValue().use(e.getKey())) {
        case READY -> ready++;
        case CONNECTING -> connecting++;
        default -> closing++;
      }
    }
    String how = factory.describe();
    return ready
        + " connection(s)"
        + (connecting > 0 ? ", " + connecting + " connecting" : "")
        + (closing > 0 ? ", " + closing + " closing" : "")
        + (how == null || how.isEmpty() ? "" : "; " + how);
  }
}
