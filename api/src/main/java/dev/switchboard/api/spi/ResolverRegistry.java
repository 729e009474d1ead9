package dev.switchboard.api.spi;

/**
 * Registry of {@link ResolverProvider}s by scheme. The default instance is fed by {@link
 * java.util.ServiceLoader} on first use outside OSGi and by the service registry inside.
 *
 * @since 0.1
 */
public final class ResolverRegistry extends ProviderRegistry<ResolverProvider> {
  private static final class Holder {
    static final ResolverRegistry DEFAULT = new ResolverRegistry();

    static {
      DEFAULT.loadFromServiceLoader(ResolverProvider.class);
    }
  }

  /**
   * The process-wide registry.
   *
   * @return the default registry, filled from ServiceLoader on first use (outside OSGi)
   */
  public static ResolverRegistry getDefaultRegistry() {
    return Holder.DEFAULT;
  }

  /**
   * An empty registry, for tests and for isolated channels. The built-in {@code passthrough} and
   * {@code static} schemes are not registered here: every channel has them.
   */
  public ResolverRegistry() {
    super(ResolverProvider.class, ResolverProvider.SCHEME_PROPERTY);
  }

  @Override
  protected String nameOf(ResolverProvider p) {
    return p.scheme();
  }

  @Override
  protected int priorityOf(ResolverProvider p) {
    return p.priority();
  }

  @Override
  protected boolean isAvailable(ResolverProvider p) {
    return p.isAvailable();
  }
}
