package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.channelz.CallStats;
import dev.switchboard.api.channelz.ChannelStats;
import dev.switchboard.api.channelz.ChannelzRegistry;
import dev.switchboard.api.channelz.ChannelzSocket;
import dev.switchboard.api.channelz.SocketCounters;
import dev.switchboard.api.channelz.SocketStats;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportListener;
import dev.switchboard.api.transport.ClientTransportStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A subchannel's channelz entry: its calls are its connections' streams, a connection that is gone
 * leaves its counts behind, and termination unlists it with its connections. The registry is the
 * test's own; the transports are fakes whose counters the test writes.
 */
class ChannelzSubchannelTest {
  private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 4444);

  private final ChannelzRegistry registry = new ChannelzRegistry();
  private final List<ChannelzSubchannel> terminated = new ArrayList<>();
  private final ChannelzChannel channel =
      new ChannelzChannel(registry, "dns:///svc", () -> ConnectivityState.READY);

  @Test
  void callsAreTheConnectionsStreamsAndOutliveTheConnections() {
    channel.register();
    ChannelzSubchannel sub = channel.newSubchannel(List.of(Address.of(ADDRESS)));
    long id =
        registry.channel(registry.topChannels(0, 0).items().get(0).id()).subchannelIds().get(0);
    assertEquals(ADDRESS.toString(), registry.nameOf(id));
    assertEquals(ConnectivityState.IDLE, registry.subchannel(id).state());

    FakeTransport first = new FakeTransport();
    sub.transportCreated(first, ADDRESS);
    sub.stateChanged(ConnectivityState.READY);
    first.counters.localStreamStarted();
    first.counters.localStreamStarted();
    first.counters.streamEnded(true, true);
    first.counters.streamEnded(true, false);
    ChannelStats stats = registry.subchannel(id);
    assertEquals(ConnectivityState.READY, stats.state());
    assertEquals(new CallStats(2, 1, 1, 0), stats.calls());
    assertEquals(1, stats.socketIds().size());
    long firstSocket = stats.socketIds().get(0);
    assertSame(first.stats, registry.socket(firstSocket));
    assertEquals("-> " + ADDRESS, registry.nameOf(firstSocket));

    // The connection is replaced: its counts stay, its entry goes.
    sub.transportGone(first);
    FakeTransport second = new FakeTransport();
    sub.transportCreated(second, ADDRESS);
    second.counters.localStreamStarted();
    second.counters.streamEnded(false, false);
    stats = registry.subchannel(id);
    assertEquals(new CallStats(3, 1, 2, 0), stats.calls());
    assertNull(registry.socket(firstSocket));
    assertEquals(1, stats.socketIds().size());
    long secondSocket = stats.socketIds().get(0);

    // Terminated: unlisted with its connection, and gone from the channel's subchannels.
    sub.terminated();
    assertNull(registry.subchannel(id));
    assertNull(registry.socket(secondSocket));
    assertTrue(channel.get().subchannelIds().isEmpty());
    channel.unregister();
    assertTrue(registry.topChannels(0, 0).items().isEmpty());
  }

  @Test
  void aTransportWithoutChannelzIsNotListed() {
    ChannelzSubchannel sub = new ChannelzSubchannel(registry, List.of(), terminated::add);
    FakeTransport plain = new FakeTransport();
    plain.socket = null;
    sub.transportCreated(plain, ADDRESS);
    assertTrue(sub.get().socketIds().isEmpty());
    sub.transportGone(plain);
    sub.terminated();
    assertEquals(List.of(sub), terminated);
  }

  /** A transport that only has counters. */
  private static final class FakeTransport implements ClientTransport {
    final SocketCounters counters = new SocketCounters();
    final SocketStats stats = new SocketStats(null, ADDRESS, SocketCounters.Snapshot.EMPTY, -1, -1);
    ChannelzSocket socket =
        new ChannelzSocket() {
          @Override
          public SocketCounters counters() {
            return counters;
          }

          @Override
          public SocketStats stats() {
            return stats;
          }
        };

    @Override
    public ChannelzSocket channelzSocket() {
      return socket;
    }

    @Override
    public void start(ClientTransportListener listener) {}

    @Override
    public <ReqT> ClientTransportStream<ReqT> newStream(
        MethodDescriptor<ReqT, ?> method,
        Metadata headers,
        CallOptions callOptions,
        Marshaller<ReqT> requestMarshaller) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown(Status reason) {}

    @Override
    public void shutdownNow(Status reason) {}

    @Override
    public Attributes attributes() {
      return Attributes.EMPTY;
    }
  }
}
