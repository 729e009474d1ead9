package dev.switchboard.channelz;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Timestamp;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.channelz.CallStats;
import dev.switchboard.api.channelz.ChannelStats;
import dev.switchboard.api.channelz.ChannelzRegistry;
import dev.switchboard.api.channelz.ServerStats;
import dev.switchboard.api.channelz.SocketCounters;
import dev.switchboard.api.channelz.SocketStats;
import dev.switchboard.channelz.v1.Address;
import dev.switchboard.channelz.v1.Channel;
import dev.switchboard.channelz.v1.ChannelConnectivityState;
import dev.switchboard.channelz.v1.ChannelData;
import dev.switchboard.channelz.v1.ChannelRef;
import dev.switchboard.channelz.v1.Server;
import dev.switchboard.channelz.v1.ServerData;
import dev.switchboard.channelz.v1.ServerRef;
import dev.switchboard.channelz.v1.Socket;
import dev.switchboard.channelz.v1.SocketData;
import dev.switchboard.channelz.v1.SocketRef;
import dev.switchboard.channelz.v1.Subchannel;
import dev.switchboard.channelz.v1.SubchannelRef;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Turns the registry's stats into {@code grpc.channelz.v1} messages. References carry the name each
 * object was registered with; an object unregistered meanwhile is left out.
 */
final class ChannelzProtos {
  private final ChannelzRegistry registry;

  ChannelzProtos(ChannelzRegistry registry) {
    this.registry = registry;
  }

  Channel channel(long id, String name, ChannelStats stats) {
    Channel.Builder b =
        Channel.newBuilder()
            .setRef(ChannelRef.newBuilder().setChannelId(id).setName(name))
            .setData(channelData(stats));
    for (long sub : stats.subchannelIds()) {
      String subName = registry.nameOf(sub);
      if (subName != null) {
        b.addSubchannelRef(SubchannelRef.newBuilder().setSubchannelId(sub).setName(subName));
      }
    }
    return b.build();
  }

  Subchannel subchannel(long id, String name, ChannelStats stats) {
    Subchannel.Builder b =
        Subchannel.newBuilder()
            .setRef(SubchannelRef.newBuilder().setSubchannelId(id).setName(name))
            .setData(channelData(stats));
    for (long socket : stats.socketIds()) {
      SocketRef ref = socketRef(socket);
      if (ref != null) {
        b.addSocketRef(ref);
      }
    }
    return b.build();
  }

  Server server(long id, String name, ServerStats stats) {
    CallStats calls = stats.calls();
    ServerData.Builder data =
        ServerData.newBuilder()
            .setCallsStarted(calls.started())
            .setCallsSucceeded(calls.succeeded())
            .setCallsFailed(calls.failed());
    if (calls.lastStartedMillis() != 0) {
      data.setLastCallStartedTimestamp(timestamp(calls.lastStartedMillis()));
    }
    Server.Builder b =
        Server.newBuilder()
            .setRef(ServerRef.newBuilder().setServerId(id).setName(name))
            .setData(data);
    for (long socket : stats.listenSocketIds()) {
      SocketRef ref = socketRef(socket);
      if (ref != null) {
        b.addListenSocket(ref);
      }
    }
    return b.build();
  }

  /** A reference to a registered socket, or null when it is gone. */
  SocketRef socketRef(long id) {
    String name = registry.nameOf(id);
    return name == null ? null : SocketRef.newBuilder().setSocketId(id).setName(name).build();
  }

  Socket socket(long id, String name, SocketStats stats) {
    SocketCounters.Snapshot c = stats.counters();
    SocketData.Builder data =
        SocketData.newBuilder()
            .setStreamsStarted(c.streamsStarted())
            .setStreamsSucceeded(c.streamsSucceeded())
            .setStreamsFailed(c.streamsFailed())
            .setMessagesSent(c.messagesSent())
            .setMessagesReceived(c.messagesReceived())
            .setKeepAlivesSent(c.keepAlivesSent());
    if (c.lastLocalStreamMillis() != 0) {
      data.setLastLocalStreamCreatedTimestamp(timestamp(c.lastLocalStreamMillis()));
    }
    if (c.lastRemoteStreamMillis() != 0) {
      data.setLastRemoteStreamCreatedTimestamp(timestamp(c.lastRemoteStreamMillis()));
    }
    if (c.lastMessageSentMillis() != 0) {
      data.setLastMessageSentTimestamp(timestamp(c.lastMessageSentMillis()));
    }
    if (c.lastMessageReceivedMillis() != 0) {
      data.setLastMessageReceivedTimestamp(timestamp(c.lastMessageReceivedMillis()));
    }
    if (stats.localFlowControlWindow() >= 0) {
      data.setLocalFlowControlWindow(Int64Value.of(stats.localFlowControlWindow()));
    }
    if (stats.remoteFlowControlWindow() >= 0) {
      data.setRemoteFlowControlWindow(Int64Value.of(stats.remoteFlowControlWindow()));
    }
    Socket.Builder b =
        Socket.newBuilder()
            .setRef(SocketRef.newBuilder().setSocketId(id).setName(name))
            .setData(data);
    if (stats.local() != null) {
      b.setLocal(address(stats.local()));
    }
    if (stats.remote() != null) {
      b.setRemote(address(stats.remote()));
    }
    return b.build();
  }

  private static ChannelData channelData(ChannelStats stats) {
    CallStats calls = stats.calls();
    ChannelData.Builder b =
        ChannelData.newBuilder()
            .setState(ChannelConnectivityState.newBuilder().setState(state(stats.state())))
            .setTarget(stats.target())
            .setCallsStarted(calls.started())
            .setCallsSucceeded(calls.succeeded())
            .setCallsFailed(calls.failed());
    if (calls.lastStartedMillis() != 0) {
      b.setLastCallStartedTimestamp(timestamp(calls.lastStartedMillis()));
    }
    return b.build();
  }

  private static ChannelConnectivityState.State state(ConnectivityState state) {
    return switch (state) {
      case IDLE -> ChannelConnectivityState.State.IDLE;
      case CONNECTING -> ChannelConnectivityState.State.CONNECTING;
      case READY -> ChannelConnectivityState.State.READY;
      case TRANSIENT_FAILURE -> ChannelConnectivityState.State.TRANSIENT_FAILURE;
      case SHUTDOWN -> ChannelConnectivityState.State.SHUTDOWN;
    };
  }

  static Timestamp timestamp(long millis) {
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(millis, 1000))
        .setNanos(Math.floorMod(millis, 1000) * 1_000_000)
        .build();
  }

  static Address address(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return Address.newBuilder()
          .setTcpipAddress(
              Address.TcpIpAddress.newBuilder()
                  .setIpAddress(ByteString.copyFrom(inet.getAddress().getAddress()))
                  .setPort(inet.getPort()))
          .build();
    }
    if (address instanceof UnixDomainSocketAddress uds) {
      return Address.newBuilder()
          .setUdsAddress(Address.UdsAddress.newBuilder().setFilename(uds.getPath().toString()))
          .build();
    }
    return Address.newBuilder()
        .setOtherAddress(Address.OtherAddress.newBuilder().setName(String.valueOf(address)))
        .build();
  }
}
