package dev.switchboard.api.telemetry;

import dev.switchboard.api.spi.ProviderRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Registry of {@link TelemetryProvider}s by name; channels and servers use every name's winner.
 *
 * @since 0.3
 */
public final class TelemetryRegistry extends ProviderRegistry<TelemetryProvider> {
  private static final class Holder {
    static final TelemetryRegistry DEFAULT = new TelemetryRegistry();

    static {
      DEFAULT.loadFromServiceLoader(TelemetryProvider.class);
    }
  }

  /**
   * The process-wide registry: the providers {@link java.util.ServiceLoader} finds on first use
   * outside OSGi, or the service registry supplies inside.
   *
   * @return the default registry
   */
  public static TelemetryRegistry getDefaultRegistry() {
    return Holder.DEFAULT;
  }

  private final Object rebuildLock = new Object();
  private volatile List<ClientCallTracer.Factory> clientFactories = List.of();
  private volatile List<ServerCallTracer.Factory> serverFactories = List.of();

  /** An empty registry. */
  public TelemetryRegistry() {
    super(TelemetryProvider.class, TelemetryProvider.NAME_PROPERTY);
    addListener(names -> rebuild());
  }

  /**
   * The client call tracer factories of every name's winning provider, for a call that starts now.
   * Lock-free and allocation-free: the same list until the winners change.
   *
   * @return an immutable list, empty when no provider traces clients
   * @since 0.3
   */
  public List<ClientCallTracer.Factory> clientCallTracerFactories() {
    return clientFactories;
  }

  /**
   * The server call tracer factories of every name's winning provider, for a call that arrives now.
   * Lock-free and allocation-free: the same list until the winners change.
   *
   * @return an immutable list, empty when no provider traces servers
   * @since 0.3
   */
  public List<ServerCallTracer.Factory> serverCallTracerFactories() {
    return serverFactories;
  }

  /** The winners changed: recomputes both lists (serialized, so the last reads the latest). */
  private void rebuild() {
    synchronized (rebuildLock) {
      List<ClientCallTracer.Factory> clients = new ArrayList<>();
      List<ServerCallTracer.Factory> servers = new ArrayList<>();
      for (TelemetryProvider p : providers().values()) {
        ClientCallTracer.Factory c = p.clientCallTracers();
        if (c != null) {
          clients.add(c);
        }
        ServerCallTracer.Factory s = p.serverCallTracers();
        if (s != null) {
          servers.add(s);
        }
      }
      clientFactories = List.copyOf(clients);
      serverFactories = List.copyOf(servers);
    }
  }

  @Override
  protected String nameOf(TelemetryProvider p) {
    return p.name();
  }

  @Override
  protected int priorityOf(TelemetryProvider p) {
    return p.priority();
  }

  @Override
  protected boolean isAvailable(TelemetryProvider p) {
    return p.isAvailable();
  }
}
