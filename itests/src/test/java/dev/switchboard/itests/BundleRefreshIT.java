package dev.switchboard.itests;

import static dev.switchboard.itests.InFramework.awaitRegistration;
import static dev.switchboard.itests.InFramework.awaitWiring;
import static dev.switchboard.itests.InFramework.serving;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.clientconn.ClientConns;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * A provider bundle uninstalled and the framework refreshed ({@link
 * FrameworkWiring#refreshBundles}) while channels use it and calls run from 8 threads: the
 * unregistration of its service waits until the channels have let go of it, so its classes are gone
 * only once nothing runs them. No {@code NoClassDefFoundError} anywhere (logs, uncaught, framework
 * events, console: {@link LinkageErrorWatch}), and then the bundle installed again is used again.
 *
 * <ul>
 *   <li>balancer: not one call fails; the channel is on its fall-back policy the moment {@code
 *       uninstall()} returns;
 *   <li>resolver: calls go on with the last addresses;
 *   <li>codec: calls in flight finish; calls started while it is gone fail INTERNAL naming it;
 *   <li>transport (with two servers and two channels on it, and calls that never end by
 *       themselves): the servers shut down and the channels' connections close when the leases are
 *       revoked, halfway through the release timeout; every call that fails ends UNAVAILABLE or
 *       CANCELLED, and a new server and channel work once the bundle is back.
 * </ul>
 *
 * Runs in Felix and in Equinox (the itests pom).
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class BundleRefreshIT {
  private static final String RR_THEN_PF =
      "{\"loadBalancingConfig\":[{\"round_robin\":{}},{\"pick_first\":{}}]}";
  private static final int THREADS = 8;
  private static final int ROUNDS = 3;

  @Inject BundleContext ctx;

  private LinkageErrorWatch watch;
  private List<Server> servers = List.of();
  private ClientConn conn;
  private ClientConn other;
  private String nettyLocation; // the transport bundle's, while it is uninstalled
  private CallLoad load;

  @Configuration
  public Option[] config() {
    return FelixOptions.switchboard();
  }

  @Before
  public void watch() {
    watch = new LinkageErrorWatch(ctx);
  }

  @After
  public void tearDown() throws Exception {
    try {
      if (load != null) {
        load.stop();
      }
      if (other != null) {
        other.close();
      }
      InFramework.shutdown(conn, servers);
    } finally {
      watch.close();
      if (nettyLocation != null) {
        ctx.installBundle(nettyLocation).start();
      }
    }
  }

  @Test
  public void balancerBundleUninstalledAndRefreshedUnderLoadFailsNoCall() throws Exception {
    BalancerRegistry balancers = BalancerRegistry.getDefaultRegistry();
    servers = InFramework.startBackends(3);
    conn =
        ClientConns.newClient(
            InFramework.addresses(servers),
            Loopback.insecure().defaultServiceConfig(RR_THEN_PF).build());
    InFramework.awaitBackends(conn, 3);
    awaitWiring(conn, w -> serving(w, "round_robin"), "round_robin to serve");
    load = new CallLoad(conn);
    load.start(THREADS);
    awaitLoadAnswers(100);

    for (int round = 1; round <= ROUNDS; round++) {
      Bundle roundRobin = InFramework.bundle(ctx, "balancer-roundrobin");
      String location = roundRobin.getLocation();
      roundRobin.uninstall();
      // The unregistration waited for the channel to let go: round_robin is gone from it already.
      List<ChannelWiring.Component> left =
          conn.describeWiring().components(ChannelWiring.Role.BALANCER);
      assertTrue(
          "only pick_first once uninstall() returned: " + left,
          left.stream().allMatch(c -> c.name().equals("pick_first")));
      refresh();
      callsStillWork(20);
      awaitWiring(conn, w -> serving(w, "pick_first"), "pick_first to serve");

      ctx.installBundle(location).start();
      awaitRegistration(balancers, "round_robin", r -> r != null, "round_robin to return");
      awaitWiring(conn, w -> serving(w, "round_robin"), "round_robin to serve again");
      InFramework.awaitBackends(conn, 3);
    }
    load.stop();
    System.out.printf(
        "refresh (%s): %d rounds, %d calls from %d threads, failed %d%n",
        FelixOptions.FRAMEWORK, ROUNDS, load.calls(), THREADS, load.failures().size());
    assertEquals("failed calls", List.of(), load.failures());
    assertEquals("class-loading errors", List.of(), watch.seen());
    assertTrue("load ran: " + load.calls(), load.calls() > ROUNDS * THREADS);
  }

  @Test
  public void resolverBundleUninstalledAndRefreshedUnderLoadKeepsTheLastAddresses()
      throws Exception {
    servers = InFramework.startBackends(1);
    conn =
        ClientConns.newClient(
            "dns:///localhost:" + servers.get(0).port(), Loopback.insecure().build());
    assertEquals("backend-0", InFramework.callId(conn));
    load = new CallLoad(conn);
    load.start(THREADS);
    awaitLoadAnswers(100);

    Bundle dns = InFramework.bundle(ctx, "resolver-dns");
    String location = dns.getLocation();
    dns.uninstall();
    ChannelWiring.Component resolver = conn.describeWiring().resolver();
    assertEquals(resolver.toString(), ChannelWiring.State.LOST, resolver.state());
    refresh();
    callsStillWork(20);

    ctx.installBundle(location).start();
    awaitRegistration(
        ResolverRegistry.getDefaultRegistry(), "dns", r -> r != null, "dns to return");
    awaitWiring(
        conn,
        w -> w.resolver().state() == ChannelWiring.State.ACTIVE,
        "the channel to resolve with dns again");
    callsStillWork(20);
    load.stop();
    assertEquals("failed calls", List.of(), load.failures());
    assertEquals("class-loading errors", List.of(), watch.seen());
  }

  @Test
  public void codecBundleUninstalledAndRefreshedUnderLoadFailsOnlyCallsNeedingIt()
      throws Exception {
    servers = InFramework.startBackends(1);
    conn = ClientConns.newClient(InFramework.addresses(servers), Loopback.insecure().build());
    assertEquals("backend-0", InFramework.callId(conn));
    load = new CallLoad(conn);
    load.start(THREADS);
    awaitLoadAnswers(100);

    Bundle proto = InFramework.bundle(ctx, "codec-proto");
    String location = proto.getLocation();
    proto.uninstall();
    // Calls that had the codec finished with it; the ones started since fail at once (stop them
    // rather than spin), and none may run its code after the refresh.
    load.stop();
    refresh();
    ctx.installBundle(location).start();
    awaitRegistration(
        CodecRegistry.getDefaultRegistry(), "proto", r -> r != null, "proto to return");
    callsStillWork(20);
    for (String failure : load.failures()) {
      assertTrue(
          "a call failed for something else than the missing codec: " + failure,
          failure.startsWith("Status{code=INTERNAL") && failure.contains("'proto'"));
    }
    assertFalse("load ran", load.perBackend().isEmpty());
    assertEquals("class-loading errors", List.of(), watch.seen());
  }

  @Test
  public void transportBundleUninstalledAndRefreshedUnderLoadEndsCallsUnavailable()
      throws Exception {
    List<EchoService> services =
        List.of(new EchoService("backend-0"), new EchoService("backend-1"));
    servers = List.of(Loopback.start(services.get(0)), Loopback.start(services.get(1)));
    conn = ClientConns.newClient(InFramework.addresses(servers), Loopback.insecure().build());
    other =
        ClientConns.newClient(
            InFramework.addresses(servers.subList(1, 2)), Loopback.insecure().build());
    InFramework.callId(other);
    load = new CallLoad(conn);
    load.start(THREADS);
    CallLoad otherLoad = new CallLoad(other);
    otherLoad.start(THREADS / 2);
    awaitLoadAnswers(100);
    // Calls that would outlive the release timeout: the lease is revoked under them.
    List<RecordingListener<StringValue>> hanging = new ArrayList<>();
    for (ClientConn c : List.of(conn, other)) {
      for (int i = 0; i < 2; i++) {
        hanging.add(
            Loopback.call(
                c, EchoService.HANG, CallOptions.DEFAULT, new Metadata(), EchoService.str("x")));
      }
    }
    for (EchoService service : services) { // pick_first: conn's on backend-0, other's on 1
      for (int i = 0; i < 2; i++) {
        assertEquals(
            "hanging call running on " + service.id,
            "started",
            service.events.poll(InFramework.TIMEOUT_MS, TimeUnit.MILLISECONDS));
      }
    }

    Bundle netty = InFramework.bundle(ctx, "transport-netty");
    String location = netty.getLocation();
    nettyLocation = location; // tearDown installs it again should this test fail before
    long uninstalling = System.nanoTime();
    netty.uninstall();
    long uninstallMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - uninstalling);
    // The unregistration revoked the servers' and channels' leases: all of it stopped already.
    for (Server s : servers) {
      assertTrue("server shut down once uninstall() returned", s.isShutdown());
      assertTrue("server terminated", s.awaitTermination(10, TimeUnit.SECONDS));
    }
    for (RecordingListener<StringValue> h : hanging) {
      Status status = h.awaitClose();
      assertTrue(
          "a hanging call ended " + status,
          status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.CANCELLED);
    }
    refresh();
    load.stop();
    otherLoad.stop();
    List<String> failures = new ArrayList<>(load.failures());
    failures.addAll(otherLoad.failures());
    long unavailable =
        failures.stream().filter(f -> f.startsWith("Status{code=UNAVAILABLE")).count();
    long cancelled = failures.stream().filter(f -> f.startsWith("Status{code=CANCELLED")).count();
    System.out.printf(
        "transport refresh (%s): uninstall took %d ms; %d calls, %d failed: %d UNAVAILABLE,"
            + " %d CANCELLED%n",
        FelixOptions.FRAMEWORK,
        uninstallMs,
        load.calls() + otherLoad.calls(),
        failures.size(),
        unavailable,
        cancelled);
    assertEquals(
        "calls failing otherwise than UNAVAILABLE or CANCELLED: " + failures,
        failures.size(),
        unavailable + cancelled);
    assertEquals("class-loading errors", List.of(), watch.seen());

    ctx.installBundle(location).start();
    nettyLocation = null;
    awaitRegistration(
        TransportRegistry.getDefaultRegistry(), "netty", r -> r != null, "netty to return");
    InFramework.shutdown(conn, servers);
    other.close();
    servers = InFramework.startBackends(1);
    conn = ClientConns.newClient(InFramework.addresses(servers), Loopback.insecure().build());
    callsStillWork(20);
    assertEquals("class-loading errors", List.of(), watch.seen());
  }

  /** The watch these tests rely on sees an error logged, or thrown, on another thread. */
  @Test
  public void theWatchSeesClassLoadingErrorsOnOtherThreads() throws Exception {
    try (LinkageErrorWatch probe = new LinkageErrorWatch(ctx)) {
      Thread logging =
          new Thread(
              () ->
                  System.getLogger("refresh.probe")
                      .log(
                          System.Logger.Level.WARNING,
                          "a provider's class is gone",
                          new IllegalStateException(new NoClassDefFoundError("gone/Picker"))));
      Thread dying =
          new Thread(
              () -> {
                throw new NoClassDefFoundError("gone/Balancer");
              });
      logging.start();
      dying.start();
      logging.join(InFramework.TIMEOUT_MS);
      dying.join(InFramework.TIMEOUT_MS);
      List<String> seen = probe.seen();
      assertTrue(seen.toString(), seen.stream().anyMatch(s -> s.contains("gone/Picker")));
      assertTrue(seen.toString(), seen.stream().anyMatch(s -> s.contains("gone/Balancer")));
    }
  }

  /** Refreshes every bundle pending removal and waits for the framework to say it is done. */
  private void refresh() throws InterruptedException {
    FrameworkWiring wiring = ctx.getBundle(0).adapt(FrameworkWiring.class);
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<FrameworkEvent> event = new AtomicReference<>();
    wiring.refreshBundles(
        null,
        e -> {
          event.set(e);
          done.countDown();
        });
    assertTrue("refresh done", done.await(InFramework.TIMEOUT_MS, TimeUnit.MILLISECONDS));
    assertEquals(
        "refresh: " + event.get().getThrowable(),
        FrameworkEvent.PACKAGES_REFRESHED,
        event.get().getType());
  }

  /**
   * Waits until the load's threads have had {@code count} answers, paced by calls of this thread
   * (no sleep); fails after the timeout.
   */
  private void awaitLoadAnswers(long count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(InFramework.TIMEOUT_MS);
    while (load.perBackend().values().stream().mapToLong(Long::longValue).sum() < count) {
      assertTrue("the load got " + load.perBackend(), System.nanoTime() < deadline);
      InFramework.callId(conn);
    }
  }

  /** {@code count} calls from the test thread succeed. */
  private void callsStillWork(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      InFramework.callId(conn);
    }
  }
}
