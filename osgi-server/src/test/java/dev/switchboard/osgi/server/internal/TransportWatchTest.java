package dev.switchboard.osgi.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ServerTransport;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.api.transport.TransportProvider;
import dev.switchboard.api.transport.TransportRegistry;
import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * When the watch asks its component to check: a revoked lease, a provider deployed or gone; and
 * whether a lease is on the winner. On a real registry, with a queue as the executor.
 */
class TransportWatchTest {
  private final TransportRegistry registry = new TransportRegistry();
  private final Queue<Runnable> queued = new ArrayDeque<>();
  private int checks;
  private final TransportWatch watch = new TransportWatch(registry, queued::add, () -> checks++);

  @Test
  void aRevokedLeaseIsClosedAndAsksForACheck() {
    Provider netty = new Provider();
    registry.register(netty);
    watch.open();
    Lease<TransportProvider> lease = watch.lease("netty");
    assertTrue(watch.isWinner(lease, "netty"));

    registry.deregister(netty);
    assertFalse(watch.deployed("netty"));
    assertEquals(1, runQueued(), "the winner changed: one check");
    assertEquals(1, registry.revoke(netty));
    assertTrue(lease.isClosed(), "closed by the revocation");
    assertTrue(lease.isRevoked());
    assertEquals(1, runQueued(), "the revocation: one check");
  }

  @Test
  void aProviderDeployedAgainAsksForACheck() {
    watch.open();
    assertNull(watch.lease("netty"));
    assertFalse(watch.deployed("netty"));
    registry.register(new Provider());
    assertTrue(watch.deployed("netty"));
    assertEquals(1, runQueued());
    watch.close();
    registry.register(new Provider());
    assertEquals(0, runQueued(), "closed: no more checks");
  }

  @Test
  void aLeaseOnAProviderThatLostIsNotOnTheWinner() {
    Provider first = new Provider();
    registry.register(first);
    Lease<TransportProvider> lease = watch.lease("netty");
    registry.register(new Provider(), 10, "higher ranking");
    assertFalse(watch.isWinner(lease, "netty"));
    assertFalse(watch.isWinner(null, "netty"));
    lease.close();
    assertEquals(0, registry.revoke(first), "still registered: not revoked");
  }

  private int runQueued() {
    int before = checks;
    for (Runnable r; (r = queued.poll()) != null; ) {
      r.run();
    }
    return checks - before;
  }

  private static final class Provider implements TransportProvider {
    @Override
    public String name() {
      return "netty";
    }

    @Override
    public ClientTransportFactory newClientTransportFactory(TransportCredentials credentials) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ServerTransport newServerTransport(ServerTransportOptions options) {
      throw new UnsupportedOperationException();
    }
  }
}
