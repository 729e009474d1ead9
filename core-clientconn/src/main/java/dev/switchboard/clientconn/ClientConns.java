package dev.switchboard.clientconn;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.clientconn.internal.ChannelEnvironment;
import dev.switchboard.clientconn.internal.ChannelFactory;
import dev.switchboard.clientconn.internal.ClientConnImpl;
import dev.switchboard.clientconn.internal.LiveChannels;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Creates {@link ClientConn}s: grpc-go's {@code grpc.NewClient}.
 *
 * <p>Targets follow gRPC naming: {@code scheme://authority/endpoint} picks the resolver registered
 * for the scheme ({@code passthrough}, {@code static}, {@code unix} and {@code unix-abstract} are
 * built in); a target without a scheme, such as {@code localhost:50051}, {@code 127.0.0.1:8080} or
 * {@code [::1]:443}, uses the default scheme: {@code dns} when a {@code dns} resolver is registered
 * when the channel is created (as grpc-go's {@code NewClient} and grpc-java do), else {@code
 * passthrough}; {@link ClientConn#describeWiring()} says which. A well-formed target whose scheme
 * has no resolver deployed does not throw: the channel waits for one (see below), then fails its
 * calls with UNAVAILABLE "no resolver for scheme 'xyz' deployed: " and how to deploy one in the
 * world the registry is fed from ({@link dev.switchboard.api.spi.ProviderRegistry#howToDeploy})
 * until one is registered.
 *
 * <p>Unix domain sockets: {@code unix:path} (relative or absolute) and {@code
 * unix:///absolute/path} name a socket file ({@link java.net.UnixDomainSocketAddress}), {@code
 * unix-abstract:name} a socket in Linux's abstract namespace ({@link
 * dev.switchboard.api.UnixAbstractAddress}, which the Netty transport reaches with its epoll
 * transport only); their calls' default {@code :authority} is {@code localhost}. A malformed one
 * ({@code unix://host/path}, an empty path) fails the calls with UNAVAILABLE saying what is wrong.
 *
 * <p>Missing providers: while the resolver, every listed balancing policy or the transport the
 * channel needs is not deployed, the channel is CONNECTING and its calls wait, for at most {@link
 * DialOptions#providerGrace()} (5 s by default) per absence; a provider arriving meanwhile (a
 * bundle started after the application's, restarted by an update) fails no call. After that, the
 * channel is TRANSIENT_FAILURE and calls fail fast naming what is missing, except wait-for-ready
 * ones, until it arrives.
 *
 * <p>Balancers, resolvers, transports, codecs and compressors come from the registries in the
 * {@link DialOptions}, else the default registries, and the channel follows them while it lives: a
 * balancing policy whose provider arrives, leaves or is replaced is switched to or from gracefully
 * (calls do not fail for it); a resolver provider that leaves is released while the channel keeps
 * its last addresses; a transport provider that leaves has its connections drained, and new
 * connections wait for another as for a missing one. Every provider the channel uses is leased from
 * its registry until the channel no longer needs it (see {@link
 * dev.switchboard.api.spi.ProviderRegistry}), so an OSGi bundle is released only when its channels
 * are done with it. {@link ClientConn#updateServiceConfig} and {@link
 * ClientConn#updateDefaultServiceConfig} change the policy of a live channel.
 *
 * <p>The channel starts IDLE and connects on the first call or {@link ClientConn#connect()}, unless
 * {@link DialOptions#blockTimeout()} is set: then creation waits until READY.
 *
 * <p>Thread-safe; the returned channel must be {@linkplain ClientConn#close() closed}. {@link
 * #liveChannels()} lists the channels created here that are not closed yet.
 *
 * @since 0.1
 */
public final class ClientConns {
  private ClientConns() {}

  /**
   * A channel to {@code target}.
   *
   * @param target {@code scheme://authority/endpoint}, or {@code host:port} for the default scheme;
   *     not null
   * @param options how to create the channel; credentials must have been chosen
   * @return a new channel, IDLE unless {@code options} ask to block; close it when done
   * @throws IllegalArgumentException for an empty target or a malformed default service config
   * @throws dev.switchboard.api.StatusRuntimeException when {@code options} ask to block and the
   *     channel is not READY in time: UNAVAILABLE with the last connection error when connecting
   *     failed, else DEADLINE_EXCEEDED; the channel is closed
   * @since 0.1
   */
  public static ClientConn newClient(String target, DialOptions options) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(options, "options");
    return blockIfAsked(
        ChannelFactory.forTarget(target, options, ChannelEnvironment.system()), options);
  }

  /**
   * A channel over a fixed list of addresses, tried in order by {@code pick_first} (the target is
   * {@code static:///host1:port1,...}). Unresolved host names are looked up in the background.
   *
   * @param addresses the servers' addresses, in preference order; not empty
   * @param options how to create the channel; credentials must have been chosen
   * @return a new channel, IDLE unless {@code options} ask to block; close it when done
   * @throws IllegalArgumentException when {@code addresses} is empty
   * @throws dev.switchboard.api.StatusRuntimeException as for {@link #newClient(String,
   *     DialOptions)}
   * @since 0.1
   */
  public static ClientConn newClient(List<? extends SocketAddress> addresses, DialOptions options) {
    Objects.requireNonNull(addresses, "addresses");
    Objects.requireNonNull(options, "options");
    return blockIfAsked(
        ChannelFactory.forAddresses(addresses, options, ChannelEnvironment.system()), options);
  }

  /**
   * The channels created by this class that are not closed yet ({@link ClientConn#isShutdown()}
   * false), oldest first: a snapshot, for diagnostics such as a shell command listing channels with
   * their {@link ClientConn#describeWiring() wiring}.
   *
   * <p>Channels are tracked weakly: one that becomes unreachable without being closed drops out
   * once it is garbage collected, and this list never keeps a channel alive beyond the caller's use
   * of it. A channel that is closing is not listed, even while it is still terminating. The
   * tracking costs nothing on the call path, only when a channel is created or closed.
   *
   * @return a new immutable list; may be empty
   * @since 0.2
   */
  public static List<ClientConn> liveChannels() {
    return LiveChannels.snapshot();
  }

  /** Lists the new channel (also while a blocking dial waits; a failed dial closes it), blocks. */
  private static ClientConn blockIfAsked(ClientConnImpl conn, DialOptions options) {
    LiveChannels.add(conn);
    if (options.blockTimeout() != null) {
      ChannelFactory.blockUntilReady(conn, options.blockTimeout());
    }
    return conn;
  }
}
