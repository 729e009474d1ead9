package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.channelz.CallCounters;
import dev.switchboard.api.channelz.ChannelStats;
import dev.switchboard.api.channelz.ChannelzRegistry;
import dev.switchboard.api.spi.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The channel as channelz sees it: its entry in the {@link ChannelzRegistry} (from construction to
 * shutdown), its call counters (counted by {@link ChannelCalls} where calls start and end) and its
 * subchannels' entries ({@link ChannelzSubchannel}, made by the {@link SubConnPool}).
 *
 * <p>Thread-safe: the counters are {@link CallCounters}, the subchannel set is concurrent, and
 * {@link #get()} (the registry's reader) reads everything racily.
 */
final class ChannelzChannel implements Supplier<ChannelStats> {
  private final ChannelzRegistry registry;
  private final String target;
  private final Supplier<ConnectivityState> state;
  private final CallCounters calls = new CallCounters();
  private final Set<ChannelzSubchannel> subchannels = ConcurrentHashMap.newKeySet();
  private volatile ChannelzRegistry.Registration registration;

  ChannelzChannel(ChannelzRegistry registry, String target, Supplier<ConnectivityState> state) {
    this.registry = registry;
    this.target = target;
    this.state = state;
  }

  /** Lists the channel; once, when it is built. */
  void register() {
    registration = registry.addTopChannel(target, this);
  }

  /** Unlists the channel: it is shut down. Idempotent. */
  void unregister() {
    ChannelzRegistry.Registration r = registration;
    if (r != null) {
      r.close();
    }
  }

  CallCounters calls() {
    return calls;
  }

  /** A new SubConn's entry, listed until it terminates. Serializer. */
  ChannelzSubchannel newSubchannel(List<Address> addresses) {
    ChannelzSubchannel sub = new ChannelzSubchannel(registry, addresses, subchannels::remove);
    subchannels.add(sub);
    return sub;
  }

  @Override
  public ChannelStats get() {
    List<Long> ids = new ArrayList<>(subchannels.size());
    for (ChannelzSubchannel s : subchannels) {
      ids.add(s.id());
    }
    ids.sort(null);
    return new ChannelStats(target, state.get(), calls.snapshot(), ids, List.of());
  }
}
