package dev.switchboard.transport.netty;

import dev.switchboard.api.Status;
import java.io.IOException;
import java.net.SocketAddress;

/**
 * Why one client connection failed, told so that a user can act on it: the first failure recorded
 * wins, and is what the connection's streams fail with. A connection that closes, or is reset,
 * before the server's HTTP/2 settings arrived says so, with the factory's hint (such as "is it a
 * TLS port?") after it. Event loop only.
 */
final class ClientConnectionError {
  private final SocketAddress address;
  private Status error; // null: nothing failed (yet)
  private String earlyCloseHint = "";

  ClientConnectionError(SocketAddress address) {
    this.address = address;
  }

  /** Explains, after the usual message, a connection closed before the server's settings. */
  void earlyCloseHint(String hint) {
    earlyCloseHint = hint;
  }

  /** The first failure recorded; null when there was none. */
  Status get() {
    return error;
  }

  /** Records {@code status} as it is, unless a failure was recorded already. */
  void record(Status status) {
    if (error == null) {
      error = status;
    }
  }

  /**
   * Records a broken connection ({@code protocolError} for HTTP/2 violations, else I/O). An I/O
   * error before the server's settings (epoll reports a reset as one, NIO as a close) gets the same
   * hint as a close.
   */
  void connectionFailed(Status status, boolean protocolError, boolean settingsReceived) {
    record(
        settingsReceived || protocolError || !(status.getCause() instanceof IOException)
            ? status
            : status.withDescription(
                status.getDescription()
                    + ", before the server's HTTP/2 settings arrived"
                    + earlyCloseHint));
  }

  /** Records a connect that failed with {@code cause}. */
  void connectFailed(Throwable cause) {
    record(
        Status.UNAVAILABLE
            .withDescription("connect to " + address + " failed: " + cause.getMessage())
            .withCause(cause));
  }

  /** What the connection's streams fail with when its channel closed. */
  Status onClose(boolean settingsReceived) {
    if (error != null) {
      return error;
    }
    return Status.UNAVAILABLE.withDescription(
        settingsReceived
            ? "connection to " + address + " closed"
            : "connection to "
                + address
                + " closed before the server's HTTP/2 settings arrived"
                + earlyCloseHint);
  }
}
