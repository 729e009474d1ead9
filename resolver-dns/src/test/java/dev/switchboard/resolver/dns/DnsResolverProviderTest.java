package dev.switchboard.resolver.dns;

import static dev.switchboard.resolver.dns.DnsResolverTest.addresses;
import static dev.switchboard.resolver.dns.DnsResolverTest.parseTarget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.testing.FakeClock;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DnsResolverProviderTest {
  private final FakeClock clock = new FakeClock();
  private final FakeResolverConn conn = new FakeResolverConn(clock.scheduledExecutor());

  @Test
  void describesItself() {
    DnsResolverProvider provider = new DnsResolverProvider();

    assertEquals("dns", provider.scheme());
    assertTrue(provider.isAvailable());
    assertEquals(5, provider.priority());
  }

  @Test
  void serviceLoaderFindsItOnTheClassPath() {
    assertTrue(
        ServiceLoader.load(ResolverProvider.class).stream()
            .anyMatch(p -> p.type() == DnsResolverProvider.class));
  }

  @Test
  void defaultRegistryServesItByScheme() {
    assertInstanceOf(
        DnsResolverProvider.class, ResolverRegistry.getDefaultRegistry().lookup("dns"));
  }

  @Test
  void defaultAuthorityIsTheEndpointAsWritten() {
    DnsResolverProvider provider = new DnsResolverProvider();

    assertEquals(
        "svc.test:8080", provider.defaultAuthority(parseTarget("dns://8.8.8.8/svc.test:8080")));
    assertEquals("svc.test", provider.defaultAuthority(parseTarget("dns:///svc.test")));
    assertEquals("[::1]:443", provider.defaultAuthority(parseTarget("dns:///[::1]:443")));
  }

  @Test
  void resolvesThroughTheSharedLoopAndReleasesItOnClose() throws Exception {
    SharedEventLoop loops = new SharedEventLoop("test-provider-loop");
    DnsResolverProvider provider = new DnsResolverProvider(loops);
    try (TestDnsServer server = TestDnsServer.start()) {
      server.set("svc.test", "10.0.0.1", "fd00::1");
      Resolver resolver =
          provider.newResolver(
              parseTarget("dns://" + server.authority() + "/svc.test:50051"), conn);

      conn.inContext(resolver::start);

      assertEquals(List.of("10.0.0.1:50051", "[fd00::1]:50051"), addresses(conn.awaitState()));
      assertEquals(1, loops.leaseCount());
      conn.inContext(resolver::close);
      assertEquals(0, loops.leaseCount());
      assertTrue(loops.lastTermination().await(5, TimeUnit.SECONDS));
    }
    conn.assertNoErrors();
  }

  @Test
  void badTargetIsAnErrorReportNotAnException() throws Exception {
    Resolver resolver =
        new DnsResolverProvider().newResolver(parseTarget("dns:///host:notaport"), conn);

    conn.inContext(resolver::start);

    Status error = conn.awaitError();
    assertEquals(Status.Code.UNAVAILABLE, error.getCode());
    assertTrue(error.getDescription().contains("notaport"), error.getDescription());
    conn.inContext(resolver::close);
    assertEquals(0, SharedEventLoop.DEFAULT.leaseCount());
    conn.assertNoErrors();
  }
}
