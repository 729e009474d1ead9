package dev.switchboard.resolver.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SharedEventLoopTest {
  private final SharedEventLoop loops = new SharedEventLoop("test-shared-loop");

  @Test
  void leasesShareOneLoopOnADaemonThread() throws Exception {
    SharedEventLoop.Lease a = loops.acquire();
    SharedEventLoop.Lease b = loops.acquire();

    assertSame(a.eventLoop(), b.eventLoop());
    assertEquals(2, loops.leaseCount());
    assertTrue(
        a.eventLoop().submit(() -> Thread.currentThread().isDaemon()).get(5, TimeUnit.SECONDS));
    a.release();
    b.release();
  }

  @Test
  void lastReleaseShutsTheLoopDownAndTheNextAcquireStartsAFreshOne() throws Exception {
    SharedEventLoop.Lease a = loops.acquire();
    SharedEventLoop.Lease b = loops.acquire();
    EventLoop first = a.eventLoop();

    a.release();
    a.release(); // idempotent: does not count twice
    assertEquals(1, loops.leaseCount());
    assertFalse(first.isShuttingDown());

    b.release();
    assertEquals(0, loops.leaseCount());
    assertTrue(loops.lastTermination().await(5, TimeUnit.SECONDS));
    assertTrue(first.isTerminated());

    SharedEventLoop.Lease c = loops.acquire();
    assertNotSame(first, c.eventLoop());
    c.release();
    assertTrue(loops.lastTermination().await(5, TimeUnit.SECONDS));
  }
}
