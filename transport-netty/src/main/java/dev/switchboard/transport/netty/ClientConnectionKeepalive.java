package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The keepalive of one client connection, between its {@link ClientHandler} and the rules of {@link
 * KeepaliveManager}: PINGs the server after the keepalive time without reads, and closes the
 * connection with UNAVAILABLE when nothing is read within the timeout after one. Does nothing when
 * keepalive is off. Event loop only.
 */
final class ClientConnectionKeepalive implements KeepaliveManager.Pinger {
  /** Data of the client's keepalive PINGs. */
  static final long KEEPALIVE_PING = 0x5eed_ca11_ab1e_0002L;

  private final ClientHandler handler;
  private final SocketAddress address;
  private final KeepaliveSettings settings;
  private final KeepaliveManager manager; // null: keepalive off

  ClientConnectionKeepalive(
      ClientHandler handler,
      SocketAddress address,
      ScheduledExecutorService scheduler,
      KeepaliveSettings settings) {
    this.handler = handler;
    this.address = address;
    this.settings = settings;
    this.manager =
        settings.enabled()
            ? new KeepaliveManager(this, scheduler, System::nanoTime, settings)
            : null;
  }

  /** The server's SETTINGS arrived. */
  void start() {
    if (manager != null) {
      manager.start();
    }
  }

  /** The connection read something. */
  void onRead() {
    if (manager != null) {
      manager.onRead();
    }
  }

  /** The first call opened. */
  void callsStarted() {
    if (manager != null) {
      manager.callsStarted();
    }
  }

  /** The last call ended. */
  void callsEnded() {
    if (manager != null) {
      manager.callsEnded();
    }
  }

  /** The connection is gone. */
  void stop() {
    if (manager != null) {
      manager.stop();
    }
  }

  @Override
  public void ping() {
    handler.sendPing(KEEPALIVE_PING);
    handler.counters().keepAliveSent();
  }

  @Override
  public void pingTimedOut() {
    Duration timeout = Duration.ofNanos(settings.timeoutNanos());
    handler.forcefulClose(
        Status.UNAVAILABLE.withDescription(
            "keepalive: no answer from " + address + " within " + timeout + " after a PING"));
  }
}
