package dev.switchboard.itests;

import static dev.switchboard.itests.InFramework.awaitRegistration;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.ProviderRegistry;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.clientconn.ClientConns;
import java.util.List;
import org.osgi.framework.BundleContext;

/**
 * The checks of {@link KarafFeatureIT} that use Switchboard types. Kept out of the test class: the
 * probe sees Switchboard's packages (by dynamic import) only once the features are installed, so
 * this class must not be loaded before.
 */
final class KarafChecks {
  private static final String VERSION = "0.1.0.SNAPSHOT";

  private KarafChecks() {}

  /**
   * Each provider is in its default registry, from its bundle, ranking 0; waits for each, as DS
   * registers them asynchronously.
   */
  static void providersFromTheirBundles() throws InterruptedException {
    assertFrom(BalancerRegistry.getDefaultRegistry(), "pick_first", "balancer-pickfirst");
    assertFrom(BalancerRegistry.getDefaultRegistry(), "round_robin", "balancer-roundrobin");
    assertFrom(ResolverRegistry.getDefaultRegistry(), "dns", "resolver-dns");
    assertFrom(CodecRegistry.getDefaultRegistry(), "proto", "codec-proto");
    assertFrom(TransportRegistry.getDefaultRegistry(), "netty", "transport-netty");
  }

  /** A unary call answered by a server in Karaf, through a {@code dns:} target. */
  static void callWorks() throws Exception {
    List<Server> servers = InFramework.startBackends(1);
    ClientConn conn = null;
    try {
      conn =
          ClientConns.newClient(
              "dns:///localhost:" + servers.get(0).port(), Loopback.insecure().build());
      assertEquals("backend-0", InFramework.callId(conn));
    } finally {
      InFramework.shutdown(conn, servers);
    }
  }

  /**
   * A call works, and the channel's transport says its sockets are by {@code sockets} ({@code NIO}
   * without the {@code switchboard-epoll} feature, {@code epoll} with it).
   */
  static void callWorksWithSocketsBy(String sockets, String context) throws Exception {
    List<Server> servers = InFramework.startBackends(1);
    ClientConn conn = null;
    try {
      conn = ClientConns.newClient(InFramework.addresses(servers), Loopback.insecure().build());
      assertEquals("backend-0", InFramework.callId(conn));
      String wiring = conn.describeWiring().toString();
      assertTrue(wiring + "\n" + context, wiring.contains("sockets by " + sockets + " ("));
    } finally {
      InFramework.shutdown(conn, servers);
    }
  }

  /** {@code switchboard:channels} in Karaf's shell shows a live channel and its wiring. */
  static void channelsListsALiveChannel(BundleContext ctx) throws Exception {
    List<Server> servers = InFramework.startBackends(1);
    ClientConn conn = null;
    try {
      conn = ClientConns.newClient(InFramework.addresses(servers), Loopback.insecure().build());
      assertEquals("backend-0", InFramework.callId(conn));
      String out = KarafShell.execute(ctx, "switchboard:channels");
      assertTrue(out, out.contains("[unpublished] ClientConn '" + conn.target() + "'"));
      assertTrue(
          out,
          out.contains(
              "transport netty [ACTIVE] from bundle dev.switchboard.transport.netty " + VERSION));
    } finally {
      InFramework.shutdown(conn, servers);
    }
  }

  private static <P> void assertFrom(ProviderRegistry<P> registry, String name, String artifact)
      throws InterruptedException {
    ProviderRegistry.Registration<P> r =
        awaitRegistration(registry, name, x -> x != null, name + " in the registry");
    assertEquals("bundle " + FelixOptions.bsn(artifact) + " " + VERSION, r.origin());
    assertEquals(0, r.ranking());
  }
}
