package dev.switchboard.server.internal;

import dev.switchboard.api.channelz.CallStats;
import dev.switchboard.api.channelz.ChannelzRegistry;
import dev.switchboard.api.channelz.ChannelzSocket;
import dev.switchboard.api.channelz.ServerStats;
import dev.switchboard.api.channelz.SocketStats;
import dev.switchboard.api.transport.ServerConnection;
import dev.switchboard.api.transport.TransportAttributes;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The server as channelz sees it: its registry entry and its listen sockets' (from a successful
 * start until it terminates), and its connections' entries (each from creation to termination).
 *
 * <p>The server's calls are its connections' streams, counted by the transport on the event loops
 * ({@code SocketCounters}); nothing is counted on the call path here. A terminated connection
 * leaves its counts behind in {@link #retired}.
 *
 * <p>Thread-safe: called by the server under its lock or by transport threads, read racily by the
 * registry's readers ({@link #get()}).
 */
final class ChannelzServer implements Supplier<ServerStats> {
  private final ChannelzRegistry registry;
  private final Map<ServerConnection, Socket> connections = new ConcurrentHashMap<>();
  private final List<ChannelzRegistry.Registration> listenSockets = new ArrayList<>();
  private ChannelzRegistry.Registration registration; // guarded by this
  private volatile List<Long> listenSocketIds = List.of();
  private volatile CallStats retired = CallStats.NONE; // updated under this
  private boolean terminated; // guarded by this

  ChannelzServer(ChannelzRegistry registry) {
    this.registry = registry;
  }

  /** The server started listening on {@code addresses}: listed until {@link #terminated()}. */
  synchronized void started(List<SocketAddress> addresses) {
    if (terminated) {
      return;
    }
    List<Long> ids = new ArrayList<>();
    for (SocketAddress a : addresses) {
      ChannelzRegistry.Registration r = registry.addSocket(String.valueOf(a), () -> listen(a));
      listenSockets.add(r);
      ids.add(r.id());
    }
    listenSocketIds = List.copyOf(ids);
    registration = registry.addServer(String.valueOf(addresses), this);
  }

  private static SocketStats listen(SocketAddress address) {
    return SocketStats.listening(address);
  }

  /** A connection was accepted: listed until it terminates. */
  void connectionCreated(ServerConnection connection) {
    ChannelzSocket socket = connection.channelzSocket();
    if (socket != null) {
      String name =
          connection.attributes().get(TransportAttributes.LOCAL_ADDRESS)
              + " <- "
              + connection.attributes().get(TransportAttributes.REMOTE_ADDRESS);
      connections.put(connection, new Socket(socket, registry.addSocket(name, socket::stats)));
    }
  }

  /** A connection terminated: its counts stay with the server. */
  void connectionTerminated(ServerConnection connection) {
    Socket s = connections.remove(connection);
    if (s != null) {
      s.registration.close();
      synchronized (this) {
        retired = retired.plus(s.socket.counters().snapshot().calls(false));
      }
    }
  }

  /** The server terminated: unlisted with its sockets. */
  synchronized void terminated() {
    terminated = true;
    if (registration != null) {
      registration.close();
    }
    for (ChannelzRegistry.Registration r : listenSockets) {
      r.close();
    }
    for (ServerConnection c : List.copyOf(connections.keySet())) {
      connectionTerminated(c);
    }
  }

  @Override
  public ServerStats get() {
    CallStats calls = retired;
    List<Long> ids = new ArrayList<>(connections.size());
    for (Socket s : connections.values()) {
      calls = calls.plus(s.socket.counters().snapshot().calls(false));
      ids.add(s.registration.id());
    }
    ids.sort(null);
    return new ServerStats(calls, listenSocketIds, ids);
  }

  private record Socket(ChannelzSocket socket, ChannelzRegistry.Registration registration) {}
}
