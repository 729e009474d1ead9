package dev.switchboard.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.transport.TransportRegistry;
import org.junit.jupiter.api.Test;

/**
 * {@link ProviderRegistry#howToDeploy}: the hint after "no ... deployed" names what fits the world
 * the registry is fed from.
 */
class DeployHintTest {
  @Test
  void aRegistryFedByCodeAsksForARegistration() {
    TransportRegistry r = new TransportRegistry();
    assertEquals(ProviderRegistry.Feed.CODE, r.feed());
    assertEquals(
        "register a TransportProvider for 'netty' in the TransportRegistry in use",
        r.howToDeploy("netty"));
  }

  @Test
  void inOsgiItNamesTheServiceAndItsProperty() {
    TransportRegistry transports = new TransportRegistry();
    transports.setFeed(ProviderRegistry.Feed.OSGI);
    assertEquals(
        "install and start the bundle providing it (a "
            + "dev.switchboard.api.transport.TransportProvider service with transport.name=netty)",
        transports.howToDeploy("netty"));
    ResolverRegistry resolvers = new ResolverRegistry();
    resolvers.setFeed(ProviderRegistry.Feed.OSGI);
    assertEquals(
        "install and start the bundle providing it (a "
            + "dev.switchboard.api.spi.ResolverProvider service with resolver.scheme=dns)",
        resolvers.howToDeploy("dns"));
  }

  @Test
  void onTheModulePathItNamesTheProvidesClause() {
    BalancerRegistry r = new BalancerRegistry();
    r.setFeed(ProviderRegistry.Feed.MODULE_PATH);
    assertEquals(
        "add the module providing it to the module path (one that provides "
            + "dev.switchboard.api.spi.BalancerProvider), or its jar to the class path",
        r.howToDeploy("round_robin"));
  }

  @Test
  void onTheClassPathItNamesTheServicesFile() {
    CodecRegistry r = new CodecRegistry();
    r.setFeed(ProviderRegistry.Feed.CLASS_PATH);
    assertEquals(
        "add the jar providing it to the class path (one listing it in "
            + "META-INF/services/dev.switchboard.api.spi.CodecProvider)",
        r.howToDeploy("proto"));
  }

  @Test
  void theDefaultRegistriesAreFedByTheServiceLoaderOfTheApisWorld() {
    // Unit tests run on the class path; itests check the module path and OSGi.
    ProviderRegistry.Feed expected =
        ProviderRegistry.class.getModule().isNamed()
            ? ProviderRegistry.Feed.MODULE_PATH
            : ProviderRegistry.Feed.CLASS_PATH;
    assertEquals(expected, CompressorRegistry.getDefaultRegistry().feed());
    assertEquals(expected, TransportRegistry.getDefaultRegistry().feed());
  }
}
