package dev.switchboard.api.telemetry;

import dev.switchboard.api.spi.ProviderRegistry;

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

  /** An empty registry. */
  public TelemetryRegistry() {
    super(TelemetryProvider.class, TelemetryProvider.NAME_PROPERTY);
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
