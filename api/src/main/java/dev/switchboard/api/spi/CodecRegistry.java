package dev.switchboard.api.spi;

/**
 * Registry of {@link CodecProvider}s by content-subtype.
 *
 * @since 0.1
 */
public final class CodecRegistry extends ProviderRegistry<CodecProvider> {
  private static final class Holder {
    static final CodecRegistry DEFAULT = new CodecRegistry();

    static {
      DEFAULT.loadFromServiceLoader(CodecProvider.class);
    }
  }

  /**
   * The process-wide registry, fed by {@link java.util.ServiceLoader} on first use outside OSGi and
   * by the service registry inside.
   *
   * @return the default registry
   */
  public static CodecRegistry getDefaultRegistry() {
    return Holder.DEFAULT;
  }

  /** An empty registry, for tests and for isolated channels and servers. */
  public CodecRegistry() {
    super(CodecProvider.class, CodecProvider.NAME_PROPERTY);
  }

  /**
   * The codec for {@code name}, or {@code null}.
   *
   * @param name a content-subtype, such as {@code proto}
   * @return the winning provider's codec, or {@code null} when none is registered
   */
  public Codec codec(String name) {
    CodecProvider p = lookup(name);
    return p == null ? null : p.codec();
  }

  @Override
  protected String nameOf(CodecProvider p) {
    return p.name();
  }

  @Override
  protected int priorityOf(CodecProvider p) {
    return p.priority();
  }

  @Override
  protected boolean isAvailable(CodecProvider p) {
    return p.isAvailable();
  }
}
