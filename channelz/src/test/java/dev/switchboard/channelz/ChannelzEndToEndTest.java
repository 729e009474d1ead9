package dev.switchboard.channelz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.channelz.v1.Address;
import dev.switchboard.channelz.v1.Channel;
import dev.switchboard.channelz.v1.ChannelConnectivityState;
import dev.switchboard.channelz.v1.ChannelzSwitchboard;
import dev.switchboard.channelz.v1.ChannelzSwitchboard.ChannelzBlockingStub;
import dev.switchboard.channelz.v1.GetChannelRequest;
import dev.switchboard.channelz.v1.GetServerRequest;
import dev.switchboard.channelz.v1.GetServerSocketsRequest;
import dev.switchboard.channelz.v1.GetServerSocketsResponse;
import dev.switchboard.channelz.v1.GetServersRequest;
import dev.switchboard.channelz.v1.GetSocketRequest;
import dev.switchboard.channelz.v1.GetSubchannelRequest;
import dev.switchboard.channelz.v1.GetTopChannelsRequest;
import dev.switchboard.channelz.v1.GetTopChannelsResponse;
import dev.switchboard.channelz.v1.SocketData;
import dev.switchboard.channelz.v1.Subchannel;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.server.Servers;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Channelz over real loopback sockets. An "app" server serves the channelz service as the
 * application's service; an "app" channel makes 3 successful calls to it (GetServers) and 2 failing
 * ones (GetSocket of an unknown id: NOT_FOUND). A separate "admin" server and channel then ask
 * channelz about them, so that the asking does not change what is asked about.
 */
class ChannelzEndToEndTest {
  private static final int OK_CALLS = 3;
  private static final int FAILED_CALLS = 2;
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final List<ClientConn> channels = new ArrayList<>();
  private Server app;
  private Server admin;
  private ChannelzBlockingStub channelz;

  @BeforeEach
  void setUp() throws Exception {
    app = serve();
    admin = serve();
    channelz = stub(channel("127.0.0.1:" + admin.port()));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (app == null || admin == null) {
      return;
    }
    for (ClientConn c : channels) {
      c.shutdownNow();
    }
    for (ClientConn c : channels) {
      assertTrue(c.awaitTermination(10, TimeUnit.SECONDS));
    }
    app.shutdownNow();
    admin.shutdownNow();
    assertTrue(app.awaitTermination(10, TimeUnit.SECONDS));
    assertTrue(admin.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void countsStatesAndAddressesOfChannelSubchannelServerAndSockets() throws Exception {
    String target = "127.0.0.1:" + app.port();
    ChannelzBlockingStub appStub = stub(channel(target));
    for (int i = 0; i < OK_CALLS; i++) {
      appStub.getServers(GetServersRequest.getDefaultInstance());
    }
    for (int i = 0; i < FAILED_CALLS; i++) {
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () -> appStub.getSocket(GetSocketRequest.newBuilder().setSocketId(-1).build()));
      assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    // The channel: found by its target among the top channels; counted before the calls returned.
    Channel channel = topChannel(target);
    assertEquals(target, channel.getData().getTarget());
    assertEquals(target, channel.getRef().getName());
    assertEquals(ChannelConnectivityState.State.READY, channel.getData().getState().getState());
    assertEquals(OK_CALLS + FAILED_CALLS, channel.getData().getCallsStarted());
    assertEquals(OK_CALLS, channel.getData().getCallsSucceeded());
    assertEquals(FAILED_CALLS, channel.getData().getCallsFailed());
    assertTrue(channel.getData().hasLastCallStartedTimestamp());
    assertEquals(
        channel,
        channelz
            .getChannel(
                GetChannelRequest.newBuilder()
                    .setChannelId(channel.getRef().getChannelId())
                    .build())
            .getChannel());

    // Its one subchannel: the transport's stream counts, by status.
    assertEquals(1, channel.getSubchannelRefCount());
    long subchannelId = channel.getSubchannelRef(0).getSubchannelId();
    Subchannel sub =
        channelz
            .getSubchannel(GetSubchannelRequest.newBuilder().setSubchannelId(subchannelId).build())
            .getSubchannel();
    assertEquals(subchannelId, sub.getRef().getSubchannelId());
    assertEquals(ChannelConnectivityState.State.READY, sub.getData().getState().getState());
    assertEquals(OK_CALLS + FAILED_CALLS, sub.getData().getCallsStarted());
    assertEquals(OK_CALLS, sub.getData().getCallsSucceeded());
    assertEquals(FAILED_CALLS, sub.getData().getCallsFailed());
    assertTrue(sub.getData().hasLastCallStartedTimestamp());

    // Its connection, client side.
    assertEquals(1, sub.getSocketRefCount());
    long clientSocketId = sub.getSocketRef(0).getSocketId();
    SocketData clientData = awaitSocket(clientSocketId, d -> d.hasLastMessageReceivedTimestamp());
    assertEquals(OK_CALLS + FAILED_CALLS, clientData.getStreamsStarted());
    assertEquals(OK_CALLS + FAILED_CALLS, clientData.getStreamsSucceeded()); // trailers received
    assertEquals(0, clientData.getStreamsFailed());
    assertEquals(OK_CALLS + FAILED_CALLS, clientData.getMessagesSent());
    assertEquals(OK_CALLS, clientData.getMessagesReceived());
    assertEquals(0, clientData.getKeepAlivesSent());
    assertTrue(clientData.hasLastLocalStreamCreatedTimestamp());
    assertFalse(clientData.hasLastRemoteStreamCreatedTimestamp());
    assertTrue(clientData.hasLastMessageSentTimestamp());
    assertTrue(clientData.getLocalFlowControlWindow().getValue() > 0);
    assertTrue(clientData.getRemoteFlowControlWindow().getValue() > 0);
    var clientSocket = socket(clientSocketId);
    assertEquals(app.port(), clientSocket.getRemote().getTcpipAddress().getPort());
    assertLoopback(clientSocket.getRemote());
    assertLoopback(clientSocket.getLocal());
    int clientPort = clientSocket.getLocal().getTcpipAddress().getPort();

    // The app server, found by its listen socket's port; its calls are its connections' streams.
    dev.switchboard.channelz.v1.Server server = serverOn(app.port());
    awaitTrue(
        () -> {
          var data = server(server.getRef().getServerId()).getData();
          return data.getCallsSucceeded() + data.getCallsFailed() == OK_CALLS + FAILED_CALLS;
        });
    var serverData = server(server.getRef().getServerId()).getData();
    assertEquals(OK_CALLS + FAILED_CALLS, serverData.getCallsStarted());
    assertEquals(OK_CALLS, serverData.getCallsSucceeded());
    assertEquals(FAILED_CALLS, serverData.getCallsFailed());
    assertTrue(serverData.hasLastCallStartedTimestamp());
    assertEquals(1, server.getListenSocketCount());
    var listen = socket(server.getListenSocket(0).getSocketId());
    assertEquals(app.port(), listen.getLocal().getTcpipAddress().getPort());
    assertFalse(listen.hasRemote());

    // Its one connection, server side: the peer is the client's socket.
    GetServerSocketsResponse sockets =
        channelz.getServerSockets(
            GetServerSocketsRequest.newBuilder()
                .setServerId(server.getRef().getServerId())
                .build());
    assertTrue(sockets.getEnd());
    assertEquals(1, sockets.getSocketRefCount());
    long serverSocketId = sockets.getSocketRef(0).getSocketId();
    SocketData serverSide =
        awaitSocket(serverSocketId, d -> d.getStreamsSucceeded() == OK_CALLS + FAILED_CALLS);
    assertEquals(OK_CALLS + FAILED_CALLS, serverSide.getStreamsStarted());
    assertEquals(0, serverSide.getStreamsFailed());
    assertEquals(OK_CALLS + FAILED_CALLS, serverSide.getMessagesReceived());
    assertEquals(OK_CALLS, serverSide.getMessagesSent());
    assertTrue(serverSide.hasLastRemoteStreamCreatedTimestamp());
    assertFalse(serverSide.hasLastLocalStreamCreatedTimestamp());
    var serverSocket = socket(serverSocketId);
    assertEquals(clientPort, serverSocket.getRemote().getTcpipAddress().getPort());
    assertEquals(app.port(), serverSocket.getLocal().getTcpipAddress().getPort());

    // The channel shut down: it, its subchannel and its connection leave the registry; the server
    // keeps the counts of its closed connection.
    ClientConn appChannel = channels.get(1);
    appChannel.shutdownNow();
    assertTrue(appChannel.awaitTermination(10, TimeUnit.SECONDS));
    long channelId = channel.getRef().getChannelId();
    assertNotFound(
        () -> channelz.getChannel(GetChannelRequest.newBuilder().setChannelId(channelId).build()));
    assertNotFound(
        () ->
            channelz.getSubchannel(
                GetSubchannelRequest.newBuilder().setSubchannelId(subchannelId).build()));
    assertNotFound(
        () ->
            channelz.getSocket(GetSocketRequest.newBuilder().setSocketId(clientSocketId).build()));
    GetServerSocketsRequest socketsOfApp =
        GetServerSocketsRequest.newBuilder().setServerId(server.getRef().getServerId()).build();
    awaitTrue(() -> channelz.getServerSockets(socketsOfApp).getSocketRefCount() == 0);
    assertNotFound(
        () ->
            channelz.getSocket(GetSocketRequest.newBuilder().setSocketId(serverSocketId).build()));
    var retired = server(server.getRef().getServerId()).getData();
    assertEquals(OK_CALLS + FAILED_CALLS, retired.getCallsStarted());
    assertEquals(OK_CALLS, retired.getCallsSucceeded());
    assertEquals(FAILED_CALLS, retired.getCallsFailed());
  }

  @Test
  void pagesOfTopChannelsEndAndAreCapped() {
    List<Long> ours = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      channel("127.0.0.1:" + (1 + i)); // never used: IDLE, no connection
    }
    // One at a time from 0: every page has one channel, ids ascend, the last page says end.
    List<Long> seen = new ArrayList<>();
    long start = 0;
    while (true) {
      GetTopChannelsResponse page =
          channelz.getTopChannels(
              GetTopChannelsRequest.newBuilder().setStartChannelId(start).setMaxResults(1).build());
      assertTrue(page.getChannelCount() <= 1);
      if (page.getChannelCount() == 1) {
        long id = page.getChannel(0).getRef().getChannelId();
        assertTrue(seen.isEmpty() || id > seen.get(seen.size() - 1));
        seen.add(id);
        if (page.getChannel(0).getData().getTarget().startsWith("127.0.0.1:")
            && page.getChannel(0).getData().getTarget().length() == "127.0.0.1:1".length()) {
          ours.add(id);
          assertEquals(
              ChannelConnectivityState.State.IDLE,
              page.getChannel(0).getData().getState().getState());
        }
        start = id + 1;
      }
      if (page.getEnd()) {
        break;
      }
      assertEquals(1, page.getChannelCount());
    }
    assertEquals(3, ours.size());
    // Everything at once: the same channels (0 means the server's page size).
    GetTopChannelsResponse all =
        channelz.getTopChannels(GetTopChannelsRequest.newBuilder().setMaxResults(0).build());
    assertTrue(all.getEnd());
    assertEquals(seen, all.getChannelList().stream().map(c -> c.getRef().getChannelId()).toList());
    // More than the cap asked for: at most 100.
    GetTopChannelsResponse capped =
        channelz.getTopChannels(GetTopChannelsRequest.newBuilder().setMaxResults(5000).build());
    assertTrue(capped.getChannelCount() <= 100);
    // A shut-down channel leaves the listing.
    ClientConn gone = channels.remove(channels.size() - 1);
    gone.shutdownNow();
    GetTopChannelsResponse after =
        channelz.getTopChannels(GetTopChannelsRequest.newBuilder().build());
    assertEquals(
        seen.size() - 1,
        after.getChannelList().stream().map(c -> c.getRef().getChannelId()).count());
  }

  @Test
  void unknownIdsAreNotFound() {
    long unknown = Long.MAX_VALUE;
    assertNotFound(
        () -> channelz.getChannel(GetChannelRequest.newBuilder().setChannelId(unknown).build()));
    assertNotFound(
        () ->
            channelz.getSubchannel(
                GetSubchannelRequest.newBuilder().setSubchannelId(unknown).build()));
    assertNotFound(
        () -> channelz.getSocket(GetSocketRequest.newBuilder().setSocketId(unknown).build()));
    assertNotFound(
        () -> channelz.getServer(GetServerRequest.newBuilder().setServerId(unknown).build()));
    assertNotFound(
        () ->
            channelz.getServerSockets(
                GetServerSocketsRequest.newBuilder().setServerId(unknown).build()));
    // An id of another kind is unknown too: a server's id is no channel.
    long serverId = serverOn(admin.port()).getRef().getServerId();
    assertNotFound(
        () -> channelz.getChannel(GetChannelRequest.newBuilder().setChannelId(serverId).build()));
  }

  private static void assertNotFound(org.junit.jupiter.api.function.Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  private static void assertLoopback(Address address) throws Exception {
    assertTrue(
        InetAddress.getByAddress(address.getTcpipAddress().getIpAddress().toByteArray())
            .isLoopbackAddress());
  }

  private Channel topChannel(String target) {
    for (Channel c :
        channelz.getTopChannels(GetTopChannelsRequest.getDefaultInstance()).getChannelList()) {
      if (c.getData().getTarget().equals(target)) {
        return c;
      }
    }
    throw new AssertionError("no top channel for " + target);
  }

  private dev.switchboard.channelz.v1.Server serverOn(int port) {
    for (dev.switchboard.channelz.v1.Server s :
        channelz.getServers(GetServersRequest.getDefaultInstance()).getServerList()) {
      for (var ref : s.getListenSocketList()) {
        if (socket(ref.getSocketId()).getLocal().getTcpipAddress().getPort() == port) {
          return s;
        }
      }
    }
    throw new AssertionError("no server listening on " + port);
  }

  private dev.switchboard.channelz.v1.Server server(long id) {
    return channelz.getServer(GetServerRequest.newBuilder().setServerId(id).build()).getServer();
  }

  private dev.switchboard.channelz.v1.Socket socket(long id) {
    return channelz.getSocket(GetSocketRequest.newBuilder().setSocketId(id).build()).getSocket();
  }

  /** The socket's data once {@code done} holds: times are stamped at the end of a batch. */
  private SocketData awaitSocket(long id, java.util.function.Predicate<SocketData> done) {
    awaitTrue(() -> done.test(socket(id).getData()));
    return socket(id).getData();
  }

  /** Asks again until true (each ask is a call to the admin server), at most 10 s. */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() - deadline < 0, "condition not met within 10 s");
      Thread.onSpinWait();
    }
  }

  private ClientConn channel(String target) {
    ClientConn c = ClientConns.newClient(target, DialOptions.newBuilder().insecure().build());
    channels.add(c);
    return c;
  }

  private static ChannelzBlockingStub stub(ClientConn channel) {
    return ChannelzSwitchboard.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static Server serve() throws Exception {
    return Servers.newServer(
            ServerOptions.newBuilder()
                .insecure()
                .listen("127.0.0.1", 0)
                .addService(new ChannelzService().bindService())
                .build())
        .start();
  }
}
