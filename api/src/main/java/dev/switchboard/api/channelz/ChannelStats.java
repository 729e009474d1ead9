package dev.switchboard.api.channelz;

import dev.switchboard.api.ConnectivityState;
import java.util.List;
import java.util.Objects;

/**
 * A channel or subchannel at one moment.
 *
 * @param target a channel's target, a subchannel's addresses
 * @param state its connectivity state
 * @param calls its call counts
 * @param subchannelIds the registry ids of a channel's subchannels (empty for a subchannel)
 * @param socketIds the registry ids of a subchannel's connections (empty for a channel)
 * @since 0.3
 */
public record ChannelStats(
    String target,
    ConnectivityState state,
    CallStats calls,
    List<Long> subchannelIds,
    List<Long> socketIds) {
  /**
   * Checks the components and copies the lists.
   *
   * @param target a channel's target, a subchannel's addresses
   * @param state its connectivity state
   * @param calls its call counts
   * @param subchannelIds the ids of a channel's subchannels
   * @param socketIds the ids of a subchannel's connections
   */
  public ChannelStats {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(calls, "calls");
    subchannelIds = List.copyOf(subchannelIds);
    socketIds = List.copyOf(socketIds);
  }
}
