package dev.switchboard.resolver.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.api.spi.Target;
import dev.switchboard.testing.FakeClock;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The resolver against a real in-process DNS server over UDP, with fake time for the rate limit and
 * the backoff (jitter off, so delays are exact).
 */
class DnsResolverTest {
  private static final long INTERVAL_SECONDS = 30;
  private static final BackoffConfig NO_JITTER =
      new BackoffConfig(
          Duration.ofSeconds(1), 1.6, 0, Duration.ofSeconds(120), Duration.ofSeconds(20));

  private final FakeClock clock = new FakeClock();
  private final FakeResolverConn conn = new FakeResolverConn(clock.scheduledExecutor());
  private final SharedEventLoop loops = new SharedEventLoop("test-dns-client");
  private final List<DnsResolver> resolvers = new ArrayList<>();
  private TestDnsServer server;

  @BeforeEach
  void startServer() throws InterruptedException {
    server = TestDnsServer.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    conn.inContext(() -> resolvers.forEach(DnsResolver::close));
    assertEquals(0, loops.leaseCount(), "event loop leases left after closing every resolver");
    assertTrue(loops.lastTermination().await(FakeResolverConn.TIMEOUT_SECONDS, TimeUnit.SECONDS));
    server.close();
    conn.assertNoErrors();
  }

  @Test
  void reportsARecordsThenAaaaRecordsWithDefaultPort() throws Exception {
    server.set("svc.test", "fd00::1", "10.0.0.2", "10.0.0.1", "fd00::2");

    start(newResolver("dns://" + server.authority() + "/svc.test"));

    assertEquals(
        List.of("10.0.0.2:443", "10.0.0.1:443", "[fd00::1]:443", "[fd00::2]:443"),
        addresses(conn.awaitState()));
    assertTrue(server.queryCount("svc.test") >= 2, "asked for A and AAAA");
  }

  @Test
  void pairsEveryAddressWithTheEndpointPort() throws Exception {
    server.set("svc.test", "10.0.0.1", "fd00::1");

    start(newResolver("dns://" + server.authority() + "/svc.test:8080"));

    assertEquals(List.of("10.0.0.1:8080", "[fd00::1]:8080"), addresses(conn.awaitState()));
  }

  @Test
  void asksTheNameServerNamedInTheAuthority() throws Exception {
    try (TestDnsServer other = TestDnsServer.start()) {
      server.set("svc.test", "10.0.0.1");
      other.set("svc.test", "10.9.9.9");

      start(newResolver("dns://" + other.authority() + "/svc.test:50051"));

      assertEquals(List.of("10.9.9.9:50051"), addresses(conn.awaitState()));
      assertEquals(0, server.queryCount("svc.test"));
      conn.inContext(() -> resolvers.forEach(DnsResolver::close));
    }
  }

  @Test
  void withoutAuthorityUsesTheSystemResolverConfiguration() throws Exception {
    // "localhost" comes from the hosts file, which Netty consults before any name server.
    start(newResolver("dns:///localhost:50051"));

    assertTrue(addresses(conn.awaitState()).contains("127.0.0.1:50051"));
  }

  @Test
  void resolveNowAfterTheIntervalPicksUpChangedAnswers() throws Exception {
    server.set("svc.test", "10.0.0.1");
    DnsResolver resolver = newResolver("dns://" + server.authority() + "/svc.test:50051");
    start(resolver);
    assertEquals(List.of("10.0.0.1:50051"), addresses(conn.awaitState()));

    server.set("svc.test", "10.0.0.2", "fd00::2");
    clock.forwardTime(INTERVAL_SECONDS, TimeUnit.SECONDS);
    conn.inContext(resolver::resolveNow);

    assertEquals(List.of("10.0.0.2:50051", "[fd00::2]:50051"), addresses(conn.awaitState()));
  }

  @Test
  void resolveNowWithinTheIntervalIsDeferredToItsEndOnce() throws Exception {
    server.set("svc.test", "10.0.0.1");
    DnsResolver resolver = newResolver("dns://" + server.authority() + "/svc.test:50051");
    start(resolver);
    conn.awaitState();
    int queriesPerLookup = server.queryCount("svc.test");
    server.set("svc.test", "10.0.0.2");

    clock.forwardTime(10, TimeUnit.SECONDS);
    conn.inContext(resolver::resolveNow);
    conn.inContext(resolver::resolveNow);

    assertEquals(1, clock.numScheduledTasks(), "one deferred lookup, however many requests");
    assertEquals(TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS - 10), clock.nextTaskDelayNanos());
    assertEquals(queriesPerLookup, server.queryCount("svc.test"));
    conn.assertNoPendingEvents();

    clock.forwardTime(INTERVAL_SECONDS - 10, TimeUnit.SECONDS);

    assertEquals(List.of("10.0.0.2:50051"), addresses(conn.awaitState()));
    conn.drain();
    assertEquals(2 * queriesPerLookup, server.queryCount("svc.test"));
    assertEquals(0, clock.numScheduledTasks());
  }

  @Test
  void resolveNowDuringALookupIsDoneAfterItWithinTheRateLimit() throws Exception {
    server.set("svc.test", "10.0.0.1");
    DnsResolver resolver = newResolver("dns://" + server.authority() + "/svc.test:50051");

    conn.inContext(
        () -> {
          resolver.start();
          resolver.resolveNow(); // the answer cannot be in before this task ends
        });
    assertEquals(List.of("10.0.0.1:50051"), addresses(conn.awaitState()));
    conn.drain();
    assertEquals(TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS), clock.nextTaskDelayNanos());

    server.set("svc.test", "10.0.0.2");
    clock.forwardTime(INTERVAL_SECONDS, TimeUnit.SECONDS);

    assertEquals(List.of("10.0.0.2:50051"), addresses(conn.awaitState()));
  }

  @Test
  void nxdomainIsReportedAndRetriedWithBackoffUntilTheNameExists() throws Exception {
    DnsResolver resolver = newResolver("dns://" + server.authority() + "/late.test:50051");
    start(resolver);

    Status first = conn.awaitError();
    assertEquals(Status.Code.UNAVAILABLE, first.getCode());
    assertTrue(first.getDescription().contains("'late.test'"), first.getDescription());
    assertTrue(first.getDescription().contains("NXDOMAIN"), first.getDescription());
    conn.drain();
    assertEquals(TimeUnit.SECONDS.toNanos(1), clock.nextTaskDelayNanos());
    int queriesPerLookup = server.queryCount("late.test");

    conn.inContext(resolver::resolveNow); // a retry is already scheduled: adds nothing
    clock.forwardTime(1, TimeUnit.SECONDS);

    assertEquals(Status.Code.UNAVAILABLE, conn.awaitError().getCode());
    conn.drain();
    assertEquals(2 * queriesPerLookup, server.queryCount("late.test"));
    assertEquals(TimeUnit.MILLISECONDS.toNanos(1600), clock.nextTaskDelayNanos());

    server.set("late.test", "10.0.0.7");
    clock.forwardTime(1600, TimeUnit.MILLISECONDS);

    assertEquals(List.of("10.0.0.7:50051"), addresses(conn.awaitState()));
    conn.drain();
    assertEquals(0, clock.numScheduledTasks(), "no retry after a success");

    // A success resets the backoff: the next failure waits the base delay again.
    server.remove("late.test");
    clock.forwardTime(INTERVAL_SECONDS, TimeUnit.SECONDS);
    conn.inContext(resolver::resolveNow);
    assertEquals(Status.Code.UNAVAILABLE, conn.awaitError().getCode());
    conn.drain();
    assertEquals(TimeUnit.SECONDS.toNanos(1), clock.nextTaskDelayNanos());
  }

  @Test
  void queryTimeoutIsReportedAndRetried() throws Exception {
    server.set("slow.test", "10.0.0.3");
    server.dropQueries(true);
    DnsResolver.Options fastTimeout =
        new DnsResolver.Options(
            clock.ticker(),
            clock.scheduledExecutor(),
            TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS),
            NO_JITTER,
            () -> 0.5,
            200);
    start(newResolver("dns://" + server.authority() + "/slow.test", fastTimeout));

    Status error = conn.awaitError();
    assertEquals(Status.Code.UNAVAILABLE, error.getCode());
    assertTrue(error.getDescription().contains("'slow.test'"), error.getDescription());
    assertTrue(error.getDescription().contains("timed out"), error.getDescription());

    server.dropQueries(false);
    conn.drain();
    clock.forwardTime(1, TimeUnit.SECONDS);

    assertEquals(List.of("10.0.0.3:443"), addresses(conn.awaitState()));
  }

  @ParameterizedTest
  @CsvSource({
    "10.1.2.3:9000, 10.1.2.3:9000",
    "10.1.2.3, 10.1.2.3:443",
    "[::1]:9000, [::1]:9000",
    "[::1], [::1]:443",
    "fd00::5, [fd00::5]:443",
  })
  void ipLiteralsAreReportedWithoutDns(String endpoint, String expected) throws Exception {
    DnsResolver resolver = newResolver("dns://" + server.authority() + "/" + endpoint);
    start(resolver);

    assertEquals(List.of(expected), addresses(conn.awaitState()));
    conn.inContext(resolver::resolveNow);
    assertEquals(List.of(expected), addresses(conn.awaitState()));
    assertEquals(0, loops.leaseCount(), "no event loop for a literal");
    assertEquals(0, server.totalQueries());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dns:///host:notaport",
        "dns:///",
        "dns:///[::1",
        "dns:///host:70000",
        "dns:///host:",
        "dns:///[::1]x",
        "dns://not-an-ip/host",
        "dns://127.0.0.1:x/host",
        "dns:///a:b:c",
      })
  void badTargetsAreReportedAsUnavailable(String target) throws Exception {
    DnsResolver resolver = newResolver(target);
    start(resolver);

    Status error = conn.awaitError();
    assertEquals(Status.Code.UNAVAILABLE, error.getCode());
    assertTrue(error.getDescription().contains(target), error.getDescription());
    conn.inContext(resolver::resolveNow);
    conn.assertNoPendingEvents();
    assertEquals(0, loops.leaseCount());
  }

  @Test
  void closeCancelsTheRetryAndReleasesTheEventLoop() throws Exception {
    DnsResolver resolver = newResolver("dns://" + server.authority() + "/gone.test");
    start(resolver);
    conn.awaitError();
    conn.drain();
    assertEquals(1, clock.numScheduledTasks());
    assertEquals(1, loops.leaseCount());

    conn.inContext(resolver::close);

    assertEquals(0, clock.numScheduledTasks());
    assertEquals(0, loops.leaseCount());
    assertTrue(loops.lastTermination().await(FakeResolverConn.TIMEOUT_SECONDS, TimeUnit.SECONDS));
    server.set("gone.test", "10.0.0.1");
    clock.forwardTime(10, TimeUnit.MINUTES);
    conn.inContext(resolver::resolveNow);
    conn.drain();
    conn.assertNoPendingEvents();
  }

  @Test
  void closeDuringALookupReportsNothing() throws Exception {
    server.set("svc.test", "10.0.0.1");
    server.dropQueries(true);
    DnsResolver resolver = newResolver("dns://" + server.authority() + "/svc.test");
    start(resolver);
    assertTrue(server.awaitQuery(FakeResolverConn.TIMEOUT_SECONDS, TimeUnit.SECONDS) != null);

    conn.inContext(resolver::close);

    // Once the loop is gone nothing can answer; whatever it posted before has run by the drain.
    assertTrue(loops.lastTermination().await(FakeResolverConn.TIMEOUT_SECONDS, TimeUnit.SECONDS));
    conn.drain();
    conn.assertNoPendingEvents();
  }

  @Test
  void resolversShareOneEventLoopUntilTheLastCloses() throws Exception {
    server.set("a.test", "10.0.0.1");
    server.set("b.test", "10.0.0.2");
    DnsResolver a = newResolver("dns://" + server.authority() + "/a.test");
    DnsResolver b = newResolver("dns://" + server.authority() + "/b.test");
    start(a);
    conn.awaitState();
    start(b);
    conn.awaitState();
    assertEquals(2, loops.leaseCount());

    conn.inContext(a::close);
    assertEquals(1, loops.leaseCount());
    server.set("b.test", "10.0.0.3");
    clock.forwardTime(INTERVAL_SECONDS, TimeUnit.SECONDS);
    conn.inContext(b::resolveNow);

    assertEquals(List.of("10.0.0.3:443"), addresses(conn.awaitState()));
  }

  @Test
  void deliversTheServiceConfigPublishedInTxt() throws Exception {
    server.set("svc.test", "10.0.0.1");
    server.setTxt(
        "_grpc_config.svc.test",
        List.of("not for us"),
        // Split in two strings, as records longer than 255 bytes are.
        List.of(
            "grpc_config=[{\"clientLanguage\": [\"go\"], \"serviceConfig\": {}},",
            " {\"serviceConfig\": {\"loadBalancingConfig\": [{\"round_robin\": {}}]}}]"));

    start(newResolver("dns://" + server.authority() + "/svc.test:50051"));

    ResolverState state = conn.awaitState();
    assertEquals(List.of("10.0.0.1:50051"), addresses(state));
    assertEquals("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}", state.serviceConfigJson());
  }

  @Test
  void noTxtRecordMeansNoServiceConfig() throws Exception {
    server.set("svc.test", "10.0.0.1");
    start(newResolver("dns://" + server.authority() + "/svc.test:50051"));
    assertEquals(null, conn.awaitState().serviceConfigJson());
    assertTrue(server.queryCount("_grpc_config.svc.test") >= 1, "asked for TXT");
  }

  @Test
  void anInvalidRecordKeepsTheLastGoodServiceConfig() throws Exception {
    server.set("svc.test", "10.0.0.1");
    server.setTxt(
        "_grpc_config.svc.test", List.of("grpc_config=[{\"serviceConfig\": {\"a\": 1}}]"));
    DnsResolver resolver = newResolver("dns://" + server.authority() + "/svc.test:50051");
    start(resolver);
    assertEquals("{\"a\":1}", conn.awaitState().serviceConfigJson());

    server.setTxt("_grpc_config.svc.test", List.of("grpc_config=[{\"oops\": 1}]"));
    clock.forwardTime(INTERVAL_SECONDS, TimeUnit.SECONDS);
    conn.inContext(resolver::resolveNow);
    assertEquals("{\"a\":1}", conn.awaitState().serviceConfigJson());
  }

  @Test
  void noTxtQueryWhenTheChannelDisabledServiceConfigLookup() throws Exception {
    conn.serviceConfigLookupDisabled = true;
    server.set("svc.test", "10.0.0.1");
    start(newResolver("dns://" + server.authority() + "/svc.test:50051"));
    assertEquals(null, conn.awaitState().serviceConfigJson());
    assertEquals(0, server.queryCount("_grpc_config.svc.test"));
  }

  private DnsResolver newResolver(String target) {
    return newResolver(
        target,
        new DnsResolver.Options(
            clock.ticker(),
            clock.scheduledExecutor(),
            TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS),
            NO_JITTER,
            () -> 0.5,
            2_000));
  }

  private DnsResolver newResolver(String target, DnsResolver.Options options) {
    DnsResolver resolver = new DnsResolver(parseTarget(target), conn, loops, options);
    resolvers.add(resolver);
    return resolver;
  }

  private void start(DnsResolver resolver) {
    conn.inContext(resolver::start);
  }

  /** {@code scheme://authority/endpoint}, split as the channel's target parser does. */
  static Target parseTarget(String target) {
    int schemeEnd = target.indexOf("://");
    String rest = target.substring(schemeEnd + 3);
    int slash = rest.indexOf('/');
    return new Target(
        target.substring(0, schemeEnd),
        rest.substring(0, slash),
        rest.substring(slash + 1),
        target);
  }

  /** {@code ip:port}, IPv6 bracketed and compressed. */
  static List<String> addresses(ResolverState state) {
    List<String> out = new ArrayList<>();
    for (Address a : state.addresses()) {
      InetSocketAddress isa = (InetSocketAddress) a.socketAddress();
      assertTrue(!isa.isUnresolved(), "unresolved address " + isa);
      String ip = NetUtil.toAddressString(isa.getAddress());
      out.add((ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + isa.getPort());
    }
    return out;
  }
}
