package dev.switchboard.itests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shell.Reports;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shell module ({@code dev.switchboard.shell}) outside OSGi: on the module path it resolves
 * with no OSGi module and its reports list the providers that service binding brought in, each from
 * its module; on the class path (this JVM) each from its jar.
 */
class ShellReportsIT {
  private static final String SHELL = "dev.switchboard.shell";

  @Test
  void reportsProvidersOnTheModulePath() throws Exception {
    ModuleFinder finder = ModuleFinder.of(ModulePathIT.runtimeJars().toArray(Path[]::new));
    Configuration cf =
        ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(), Set.of(SHELL));
    for (ResolvedModule m : cf.modules()) {
      assertFalse(
          m.name().startsWith("org.osgi") || m.name().startsWith("osgi."),
          "an OSGi module was resolved: " + m.name());
    }
    ModuleLayer layer =
        ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    Class<?> reports = layer.findLoader(SHELL).loadClass("dev.switchboard.shell.Reports");
    assertTrue(reports.getModule().isNamed(), "Reports loaded from the module, not the class path");
    String out = (String) reports.getMethod("providers").invoke(null);
    for (String line :
        List.of(
            "balancer   pick_first   * module dev.switchboard.balancer.pickfirst",
            "balancer   round_robin  * module dev.switchboard.balancer.roundrobin",
            "codec      proto        * module dev.switchboard.codec.proto",
            "resolver   dns          * module dev.switchboard.resolver.dns",
            "transport  netty        * module dev.switchboard.transport.netty")) {
      assertTrue(out.contains(line), "missing '" + line + "' in:\n" + out);
    }
  }

  @Test
  void reportsProvidersOnTheClassPath() {
    String out = Reports.providers();
    for (String line :
        List.of(
            "balancer   pick_first   * classpath ",
            "balancer   round_robin  * classpath ",
            "codec      proto        * classpath ",
            "resolver   dns          * classpath ",
            "transport  netty        * classpath ")) {
      assertTrue(out.contains(line), "missing '" + line + "' in:\n" + out);
    }
  }
}
