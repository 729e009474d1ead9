package dev.switchboard.api.channelz;

import java.net.SocketAddress;

/**
 * A socket at one moment: a connection, or a server's listen socket.
 *
 * @param local the local address, or null when unknown
 * @param remote the peer's address, or null for a listen socket
 * @param counters the connection's counts ({@link SocketCounters.Snapshot#EMPTY} for a listen
 *     socket)
 * @param localFlowControlWindow bytes the peer may still send on the connection (its HTTP/2
 *     connection window, as we advertise it), or -1 when unknown
 * @param remoteFlowControlWindow bytes this side may still send on the connection, or -1 when
 *     unknown
 * @since 0.3
 */
public record SocketStats(
    SocketAddress local,
    SocketAddress remote,
    SocketCounters.Snapshot counters,
    long localFlowControlWindow,
    long remoteFlowControlWindow) {

  /**
   * {@return a listen socket's stats}
   *
   * @param local the address it listens on
   */
  public static SocketStats listening(SocketAddress local) {
    return new SocketStats(local, null, SocketCounters.Snapshot.EMPTY, -1, -1);
  }
}
