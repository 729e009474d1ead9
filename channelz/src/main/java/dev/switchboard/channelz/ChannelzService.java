package dev.switchboard.channelz;

import dev.switchboard.api.Status;
import dev.switchboard.api.channelz.ChannelStats;
import dev.switchboard.api.channelz.ChannelzRegistry;
import dev.switchboard.api.channelz.ServerStats;
import dev.switchboard.api.channelz.SocketStats;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.channelz.v1.ChannelzSwitchboard;
import dev.switchboard.channelz.v1.GetChannelRequest;
import dev.switchboard.channelz.v1.GetChannelResponse;
import dev.switchboard.channelz.v1.GetServerRequest;
import dev.switchboard.channelz.v1.GetServerResponse;
import dev.switchboard.channelz.v1.GetServerSocketsRequest;
import dev.switchboard.channelz.v1.GetServerSocketsResponse;
import dev.switchboard.channelz.v1.GetServersRequest;
import dev.switchboard.channelz.v1.GetServersResponse;
import dev.switchboard.channelz.v1.GetSocketRequest;
import dev.switchboard.channelz.v1.GetSocketResponse;
import dev.switchboard.channelz.v1.GetSubchannelRequest;
import dev.switchboard.channelz.v1.GetSubchannelResponse;
import dev.switchboard.channelz.v1.GetTopChannelsRequest;
import dev.switchboard.channelz.v1.GetTopChannelsResponse;
import dev.switchboard.channelz.v1.SocketRef;
import java.util.Objects;

/**
 * The {@code grpc.channelz.v1.Channelz} service (gRFC A14): the live channels, subchannels, servers
 * and sockets of this process, as the {@link ChannelzRegistry} knows them, with their call and
 * stream counters. Bind it to a server with {@code addService(new
 * ChannelzService().bindService())}; its messages need the proto codec.
 *
 * <p><b>Limits.</b> A listing (GetTopChannels, GetServers, GetServerSockets) returns at most {@link
 * ChannelzRegistry#MAX_PAGE} (100) entries whatever {@code max_results} asks (0 means that many)
 * and sets {@code end} when nothing follows; ask again from the last id + 1 for the next page. An
 * unknown id is {@code NOT_FOUND}. Channel traces and socket options and security are not reported.
 *
 * <p>Thread-safe and stateless; each call reads the registry afresh. The service lists everything
 * registered in the process, so expose it only where that is acceptable (an admin port).
 *
 * @since 0.3
 */
public final class ChannelzService extends ChannelzSwitchboard.ChannelzImplBase {
  private final ChannelzRegistry registry;
  private final ChannelzProtos protos;

  /** A service over {@link ChannelzRegistry#getDefault()}, where Switchboard registers. */
  public ChannelzService() {
    this(ChannelzRegistry.getDefault());
  }

  /**
   * A service over {@code registry}; for tests.
   *
   * @param registry what to serve, not null
   */
  public ChannelzService(ChannelzRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.protos = new ChannelzProtos(registry);
  }

  @Override
  public void getTopChannels(
      GetTopChannelsRequest request, StreamObserver<GetTopChannelsResponse> responseObserver) {
    ChannelzRegistry.Page<ChannelStats> page =
        registry.topChannels(request.getStartChannelId(), (int) cap(request.getMaxResults()));
    GetTopChannelsResponse.Builder b = GetTopChannelsResponse.newBuilder().setEnd(page.end());
    for (ChannelzRegistry.Listed<ChannelStats> c : page.items()) {
      b.addChannel(protos.channel(c.id(), c.name(), c.stats()));
    }
    reply(responseObserver, b.build());
  }

  @Override
  public void getServers(
      GetServersRequest request, StreamObserver<GetServersResponse> responseObserver) {
    ChannelzRegistry.Page<ServerStats> page =
        registry.servers(request.getStartServerId(), (int) cap(request.getMaxResults()));
    GetServersResponse.Builder b = GetServersResponse.newBuilder().setEnd(page.end());
    for (ChannelzRegistry.Listed<ServerStats> s : page.items()) {
      b.addServer(protos.server(s.id(), s.name(), s.stats()));
    }
    reply(responseObserver, b.build());
  }

  @Override
  public void getServer(
      GetServerRequest request, StreamObserver<GetServerResponse> responseObserver) {
    long id = request.getServerId();
    ServerStats stats = registry.server(id);
    String name = registry.nameOf(id);
    if (stats == null || name == null) {
      notFound(responseObserver, "server", id);
      return;
    }
    reply(
        responseObserver,
        GetServerResponse.newBuilder().setServer(protos.server(id, name, stats)).build());
  }

  @Override
  public void getServerSockets(
      GetServerSocketsRequest request, StreamObserver<GetServerSocketsResponse> responseObserver) {
    long id = request.getServerId();
    ServerStats stats = registry.server(id);
    if (stats == null) {
      notFound(responseObserver, "server", id);
      return;
    }
    long max = cap(request.getMaxResults());
    GetServerSocketsResponse.Builder b = GetServerSocketsResponse.newBuilder();
    boolean end = true;
    for (long socketId : stats.socketIds()) { // ascending
      if (socketId < request.getStartSocketId()) {
        continue;
      }
      SocketRef ref = protos.socketRef(socketId);
      if (ref == null) {
        continue; // closed meanwhile
      }
      if (b.getSocketRefCount() == max) {
        end = false;
        break;
      }
      b.addSocketRef(ref);
    }
    reply(responseObserver, b.setEnd(end).build());
  }

  @Override
  public void getChannel(
      GetChannelRequest request, StreamObserver<GetChannelResponse> responseObserver) {
    long id = request.getChannelId();
    ChannelStats stats = registry.channel(id);
    String name = registry.nameOf(id);
    if (stats == null || name == null) {
      notFound(responseObserver, "channel", id);
      return;
    }
    reply(
        responseObserver,
        GetChannelResponse.newBuilder().setChannel(protos.channel(id, name, stats)).build());
  }

  @Override
  public void getSubchannel(
      GetSubchannelRequest request, StreamObserver<GetSubchannelResponse> responseObserver) {
    long id = request.getSubchannelId();
    ChannelStats stats = registry.subchannel(id);
    String name = registry.nameOf(id);
    if (stats == null || name == null) {
      notFound(responseObserver, "subchannel", id);
      return;
    }
    reply(
        responseObserver,
        GetSubchannelResponse.newBuilder()
            .setSubchannel(protos.subchannel(id, name, stats))
            .build());
  }

  @Override
  public void getSocket(
      GetSocketRequest request, StreamObserver<GetSocketResponse> responseObserver) {
    long id = request.getSocketId();
    SocketStats stats = registry.socket(id);
    String name = registry.nameOf(id);
    if (stats == null || name == null) {
      notFound(responseObserver, "socket", id);
      return;
    }
    reply(
        responseObserver,
        GetSocketResponse.newBuilder().setSocket(protos.socket(id, name, stats)).build());
  }

  /** {@code max_results} within (0, MAX_PAGE]; 0 or less means MAX_PAGE. */
  private static long cap(long maxResults) {
    return maxResults <= 0 || maxResults > ChannelzRegistry.MAX_PAGE
        ? ChannelzRegistry.MAX_PAGE
        : maxResults;
  }

  private static <T> void reply(StreamObserver<T> observer, T response) {
    observer.onNext(response);
    observer.onCompleted();
  }

  private static void notFound(StreamObserver<?> observer, String kind, long id) {
    observer.onError(
        Status.NOT_FOUND.withDescription("no " + kind + " with id " + id).asRuntimeException());
  }
}
