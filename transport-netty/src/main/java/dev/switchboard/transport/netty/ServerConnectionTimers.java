package dev.switchboard.transport.netty;

import dev.switchboard.api.ServerKeepalive;
import dev.switchboard.api.Status;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The timers of one server connection, between its {@link ServerHandler} and the rules: keepalive
 * PINGs ({@link KeepaliveManager}) and the max idle time, max age and age grace ({@link
 * ConnectionLifetime}). Event loop only.
 */
final class ServerConnectionTimers implements KeepaliveManager.Pinger, ConnectionLifetime.Actions {
  /** Data of the server's keepalive PINGs, told apart from the graceful shutdown's. */
  static final long KEEPALIVE_PING = 0x5eed_ca11_ab1e_0001L;

  private final ServerHandler handler;
  private final Duration timeout;
  private final KeepaliveManager keepalive; // null: no keepalive PINGs
  private final ConnectionLifetime lifetime;

  private ServerConnectionTimers(
      ServerHandler handler, ScheduledExecutorService scheduler, ServerKeepalive settings) {
    this.handler = handler;
    this.timeout = settings.timeout();
    KeepaliveSettings ka = KeepaliveSettings.forServer(settings);
    this.keepalive =
        ka.enabled() ? new KeepaliveManager(this, scheduler, System::nanoTime, ka) : null;
    this.lifetime =
        new ConnectionLifetime(
            this,
            scheduler,
            System::nanoTime,
            settings,
            () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Starts the timers of a connection just accepted. */
  static ServerConnectionTimers start(
      ServerHandler handler, ScheduledExecutorService scheduler, ServerKeepalive settings) {
    ServerConnectionTimers timers = new ServerConnectionTimers(handler, scheduler, settings);
    if (timers.keepalive != null) {
      timers.keepalive.start();
    }
    timers.lifetime.start();
    return timers;
  }

  /** The connection read something. */
  void onRead() {
    if (keepalive != null) {
      keepalive.onRead();
    }
  }

  /** The first call opened. */
  void callsStarted() {
    lifetime.callsStarted();
  }

  /** The last call ended. */
  void callsEnded() {
    lifetime.callsEnded();
  }

  /** The connection is gone. */
  void stop() {
    if (keepalive != null) {
      keepalive.stop();
    }
    lifetime.stop();
  }

  @Override
  public void ping() {
    handler.sendPing(KEEPALIVE_PING);
    handler.counters().keepAliveSent();
  }

  @Override
  public void pingTimedOut() {
    close(
        Status.UNAVAILABLE.withDescription(
            "keepalive: the client answered no PING within " + timeout));
  }

  @Override
  public void closeGracefully(String reason) {
    handler.gracefulClose(Status.UNAVAILABLE.withDescription(reason));
  }

  @Override
  public void closeNow(String reason) {
    close(Status.UNAVAILABLE.withDescription(reason));
  }

  /**
   * Closes the connection without resetting its streams one by one: the core's streams fail with
   * {@code status} when the channel goes, and the client sees a lost connection (UNAVAILABLE), not
   * calls cancelled by the server.
   */
  private void close(Status status) {
    handler.connectionFailed(status, false);
    handler
        .context()
        .channel()
        .writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(ChannelFutureListener.CLOSE);
  }
}
