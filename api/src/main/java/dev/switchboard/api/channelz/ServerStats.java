package dev.switchboard.api.channelz;

import java.util.List;
import java.util.Objects;

/**
 * A server at one moment.
 *
 * @param calls its call counts
 * @param listenSocketIds the registry ids of its listen sockets
 * @param socketIds the registry ids of its connections, ascending
 * @since 0.3
 */
public record ServerStats(CallStats calls, List<Long> listenSocketIds, List<Long> socketIds) {
  /**
   * Checks the components and copies the lists.
   *
   * @param calls its call counts
   * @param listenSocketIds the ids of its listen sockets
   * @param socketIds the ids of its connections
   */
  public ServerStats {
    Objects.requireNonNull(calls, "calls");
    listenSocketIds = List.copyOf(listenSocketIds);
    socketIds = List.copyOf(socketIds);
  }
}
