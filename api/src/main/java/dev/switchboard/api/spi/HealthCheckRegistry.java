package dev.switchboard.api.spi;

/**
 * Registry of {@link HealthCheckProvider}s by name; channels use the one named {@value
 * HealthCheckProvider#DEFAULT_NAME} when their service config asks for health checks.
 *
 * @since 0.3
 */
public final class HealthCheckRegistry extends ProviderRegistry<HealthCheckProvider> {
  private static final class Holder {
    static final HealthCheckRegistry DEFAULT = new HealthCheckRegistry();

    static {
      DEFAULT.loadFromServiceLoader(HealthCheckProvider.class);
    }
  }

  /**
   * The process-wide registry: the providers {@link java.util.ServiceLoader} finds on first use
   * outside OSGi, or the service registry supplies inside.
   *
   * @return the default registry
   */
  public static HealthCheckRegistry getDefaultRegistry() {
    return Holder.DEFAULT;
  }

  /** An empty registry. */
  public HealthCheckRegistry() {
    super(HealthCheckProvider.class, HealthCheckProvider.NAME_PROPERTY);
  }

  @Override
  protected String nameOf(HealthCheckProvider p) {
    return p.name();
  }

  @Override
  protected int priorityOf(HealthCheckProvider p) {
    return p.priority();
  }

  @Override
  protected boolean isAvailable(HealthCheckProvider p) {
    return p.isAvailable();
  }
}
