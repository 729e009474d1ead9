package dev.switchboard.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.testing.CapturedLog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code Server.onShutdown}: actions run once, at the first shutdown, before the GOAWAYs. */
class ServerShutdownActionsTest {
  private final ServerFixture f = new ServerFixture();
  private final List<String> ran = new ArrayList<>();

  @Test
  void actionsRunOnceInOrderBeforeTheTransportStops() {
    f.start();
    assertSame(
        f.server,
        f.server.onShutdown(
            () -> ran.add("first, transport stopped: " + f.transport.shutdownCalled)));
    f.server.onShutdown(() -> ran.add("second"));
    assertEquals(List.of(), ran);

    f.server.shutdown();
    assertEquals(List.of("first, transport stopped: false", "second"), ran);
    f.server.shutdown();
    f.server.shutdownNow();
    assertEquals(2, ran.size(), "once only");
  }

  @Test
  void shutdownNowRunsThemToo() {
    f.start();
    f.server.onShutdown(() -> ran.add("ran"));
    f.server.shutdownNow();
    assertEquals(List.of("ran"), ran);
  }

  @Test
  void anActionAddedAfterTheShutdownRunsAtOnce() {
    f.start();
    f.server.shutdown();
    f.server.onShutdown(() -> ran.add("at once"));
    assertEquals(List.of("at once"), ran);
  }

  @Test
  void aFailingActionIsLoggedAndTheOthersStillRun() {
    f.start();
    f.server.onShutdown(
        () -> {
          throw new IllegalStateException("boom");
        });
    f.server.onShutdown(() -> ran.add("still"));
    try (CapturedLog log = new CapturedLog(ServerImpl.class.getName())) {
      f.server.shutdown();
      assertEquals(List.of("still"), ran);
      assertFalse(log.messages(System.Logger.Level.WARNING).isEmpty());
    }
  }
}
