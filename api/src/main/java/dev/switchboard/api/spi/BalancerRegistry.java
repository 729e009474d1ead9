package dev.switchboard.api.spi;

/**
 * Registry of {@link BalancerProvider}s by policy name. The default instance is fed by {@link
 * java.util.ServiceLoader} on first use outside OSGi and by the service registry inside.
 *
 * @since 0.1
 */
public final class BalancerRegistry extends ProviderRegistry<BalancerProvider> {
  private static final class Holder {
    static final BalancerRegistry DEFAULT = new BalancerRegistry();

    static {
      DEFAULT.loadFromServiceLoader(BalancerProvider.class);
    }
  }

  /**
   * The process-wide registry.
   *
   * @return the default registry, filled from ServiceLoader on first use (outside OSGi)
   */
  public static BalancerRegistry getDefaultRegistry() {
    return Holder.DEFAULT;
  }

  /** An empty registry, for tests and for isolated channels. */
  public BalancerRegistry() {
    super(BalancerProvider.class, BalancerProvider.NAME_PROPERTY);
  }

  @Override
  protected String nameOf(BalancerProvider p) {
    return p.name();
  }

  @Override
  protected int priorityOf(BalancerProvider p) {
    return p.priority();
  }

  @Override
  protected boolean isAvailable(BalancerProvider p) {
    return p.isAvailable();
  }
}
