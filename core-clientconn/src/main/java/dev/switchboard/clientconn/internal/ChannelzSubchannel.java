package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.channelz.CallStats;
import dev.switchboard.api.channelz.ChannelStats;
import dev.switchboard.api.channelz.ChannelzRegistry;
import dev.switchboard.api.channelz.ChannelzSocket;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.transport.ClientTransport;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One SubConn as channelz sees it: its registry entry (from creation until it terminates), its
 * state, and its connections' entries (each transport from creation until it is gone).
 *
 * <p>A subchannel's calls are its connections' streams, counted by the transports on their event
 * loops ({@code SocketCounters}): nothing is counted for it on the call path. A connection that is
 * gone leaves its counts behind in {@link #retired}.
 *
 * <p>Written in the channel's serializer, read racily by the registry's readers ({@link #get()}).
 */
final class ChannelzSubchannel implements Supplier<ChannelStats> {
  private final ChannelzRegistry registry;
  private final ChannelzRegistry.Registration registration;
  private final Consumer<ChannelzSubchannel> onTerminated;
  private final Map<ClientTransport, Socket> sockets = new ConcurrentHashMap<>();
  private final String name;
  private volatile ConnectivityState state = ConnectivityState.IDLE;
  private volatile CallStats retired = CallStats.NONE; // written in the serializer

  ChannelzSubchannel(
      ChannelzRegistry registry,
      List<Address> addresses,
      Consumer<ChannelzSubchannel> onTerminated) {
    this.registry = registry;
    this.onTerminated = onTerminated;
    this.name = describe(addresses);
    this.registration = registry.addSubchannel(name, this);
  }

  private static String describe(List<Address> addresses) {
    List<String> out = new ArrayList<>(addresses.size());
    for (Address a : addresses) {
      out.add(String.valueOf(a.socketAddress()));
    }
    return String.join(", ", out);
  }

  long id() {
    return registration.id();
  }

  /** The SubConn's state changed. Serializer. */
  void stateChanged(ConnectivityState newState) {
    state = newState;
  }

  /** The SubConn made a transport to {@code address}: listed until it is gone. Serializer. */
  void transportCreated(ClientTransport transport, SocketAddress address) {
    ChannelzSocket socket = transport.channelzSocket();
    if (socket != null) {
      sockets.put(
          transport, new Socket(socket, registry.addSocket("-> " + address, socket::stats)));
    }
  }

  /** A transport terminated (or never started): its counts stay with the subchannel. Serializer. */
  void transportGone(ClientTransport transport) {
    Socket s = sockets.remove(transport);
    if (s != null) {
      s.registration.close();
      retired = retired.plus(s.socket.counters().snapshot().calls(true));
    }
  }

  /** The SubConn terminated: unlisted, with its connections. Serializer. */
  void terminated() {
    for (ClientTransport t : List.copyOf(sockets.keySet())) {
      transportGone(t);
    }
    registration.close();
    onTerminated.accept(this);
  }

  @Override
  public ChannelStats get() {
    CallStats calls = retired;
    List<Long> ids = new ArrayList<>(sockets.size());
    for (Socket s : sockets.values()) {
      calls = calls.plus(s.socket.counters().snapshot().calls(true));
      ids.add(s.registration.id());
    }
    ids.sort(null);
    return new ChannelStats(name, state, calls, List.of(), ids);
  }

  private record Socket(ChannelzSocket socket, ChannelzRegistry.Registration registration) {}
}
