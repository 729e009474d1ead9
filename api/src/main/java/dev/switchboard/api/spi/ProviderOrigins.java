package dev.switchboard.api.spi;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Where providers come from outside OSGi: {@link ServiceLoader} on the module path and the class
 * path, and the origin text a registration shows ("module dev.switchboard.transport.netty",
 * "classpath file:/.../transport-netty.jar").
 */
final class ProviderOrigins {
  private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

  private ProviderOrigins() {}

  /** Describes where a provider's class comes from: its module name, else its code source. */
  static String originOf(Object provider) {
    Class<?> c = provider.getClass();
    Module m = c.getModule();
    if (m.isNamed()) {
      String v =
          m.getDescriptor() != null && m.getDescriptor().rawVersion().isPresent()
              ? "@" + m.getDescriptor().rawVersion().get()
              : "";
      return "module " + m.getName() + v;
    }
    try {
      var cs = c.getProtectionDomain().getCodeSource();
      return cs == null ? "classpath" : "classpath " + cs.getLocation();
    } catch (SecurityException e) {
      return "classpath";
    }
  }

  /**
   * Hands every provider {@link ServiceLoader} finds for {@code type}, through {@code type}'s class
   * loader, to {@code register}; a provider that fails to load is logged and skipped. Runs in the
   * api module, which declares {@code uses} for each provider type.
   */
  static <P> void loadAll(Class<P> type, Consumer<P> register) {
    Iterator<P> it = ServiceLoader.load(type, type.getClassLoader()).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          return;
        }
        register.accept(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "could not load a " + type.getSimpleName(), e);
      }
    }
  }
}
