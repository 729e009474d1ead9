package dev.switchboard.api.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Registry of {@link CompressorProvider}s by {@code grpc-encoding} name. Every registry, default or
 * new, starts with the built-in {@code gzip} (JDK {@code java.util.zip}) and {@code identity}.
 *
 * @since 0.1
 */
public final class CompressorRegistry extends ProviderRegistry<CompressorProvider> {
  /** The name meaning "not compressed". */
  public static final String IDENTITY = "identity";

  private static final class Holder {
    static final CompressorRegistry DEFAULT = new CompressorRegistry();

    static {
      DEFAULT.loadFromServiceLoader(CompressorProvider.class);
    }
  }

  /**
   * The process-wide registry: the built-ins, plus the providers {@link java.util.ServiceLoader}
   * finds on first use outside OSGi or the service registry supplies inside.
   *
   * @return the default registry
   */
  public static CompressorRegistry getDefaultRegistry() {
    return Holder.DEFAULT;
  }

  private volatile AcceptEncoding acceptEncoding;

  /** A registry holding the built-ins only. */
  public CompressorRegistry() {
    super(CompressorProvider.class, CompressorProvider.NAME_PROPERTY);
    register(new Builtin(new Gzip()), 0, "built-in");
    register(new Builtin(new Identity()), 0, "built-in");
  }

  /**
   * The compressor for {@code name}, or {@code null}.
   *
   * @param name a {@code grpc-encoding} name, such as {@code gzip}
   * @return the winning provider's compressor, or {@code null} when none is registered
   */
  public Compressor compressor(String name) {
    CompressorProvider p = lookup(name);
    return p == null ? null : p.compressor();
  }

  /**
   * The comma-separated names for {@code grpc-accept-encoding}, sorted.
   *
   * @return the registered names, such as {@code gzip,identity}
   */
  public String acceptEncoding() {
    // Sent with every response and request: computed once per set of providers.
    Object winners = winnersSnapshot();
    AcceptEncoding cached = acceptEncoding;
    if (cached != null && cached.winners() == winners) {
      return cached.value();
    }
    String value = String.join(",", new TreeSet<>(providers().keySet()));
    acceptEncoding = new AcceptEncoding(winners, value);
    return value;
  }

  /** {@code value} as computed from the winners {@code winners}. */
  private record AcceptEncoding(Object winners, String value) {}

  @Override
  protected String nameOf(CompressorProvider p) {
    return p.name();
  }

  @Override
  protected int priorityOf(CompressorProvider p) {
    return p.priority();
  }

  @Override
  protected boolean isAvailable(CompressorProvider p) {
    return p.isAvailable();
  }

  private record Builtin(Compressor compressor) implements CompressorProvider {
    @Override
    public String name() {
      return compressor.name();
    }

    @Override
    public int priority() {
      return 0;
    }
  }

  private static final class Gzip implements Compressor {
    @Override
    public String name() {
      return "gzip";
    }

    @Override
    public OutputStream compress(OutputStream out) throws IOException {
      return new GZIPOutputStream(out, 8192);
    }

    @Override
    public InputStream decompress(InputStream in) throws IOException {
      return new GZIPInputStream(in, 8192);
    }
  }

  private static final class Identity implements Compressor {
    @Override
    public String name() {
      return IDENTITY;
    }

    @Override
    public OutputStream compress(OutputStream out) {
      return out;
    }

    @Override
    public InputStream decompress(InputStream in) {
      return in;
    }
  }
}
