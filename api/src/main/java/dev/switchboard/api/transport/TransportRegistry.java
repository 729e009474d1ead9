package dev.switchboard.api.transport;

import dev.switchboard.api.spi.ProviderRegistry;

/**
 * Registry of {@link TransportProvider}s by name.
 *
 * @since 0.1
 */
public final class TransportRegistry extends ProviderRegistry<TransportProvider> {
  private static final class Holder {
    static final TransportRegistry DEFAULT = new TransportRegistry();

    static {
      DEFAULT.loadFromServiceLoader(TransportProvider.class);
    }
  }

  /**
   * The process-wide registry, fed by {@link java.util.ServiceLoader} on first use outside OSGi and
   * by the service registry inside.
   *
   * @return the default registry
   */
  public static TransportRegistry getDefaultRegistry() {
    return Holder.DEFAULT;
  }

  /** An empty registry, for tests and for isolated channels and servers. */
  public TransportRegistry() {
    super(TransportProvider.class, TransportProvider.NAME_PROPERTY);
  }

  @Override
  protected String nameOf(TransportProvider p) {
    return p.name();
  }

  @Override
  protected int priorityOf(TransportProvider p) {
    return p.priority();
  }

  @Override
  protected boolean isAvailable(TransportProvider p) {
    return p.isAvailable();
  }
}
