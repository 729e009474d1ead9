package dev.switchboard.clientconn.internal;

import dev.switchboard.api.DialOptions;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.channelz.ChannelzRegistry;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.HealthCheckRegistry;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.spi.Target;
import dev.switchboard.api.transport.TransportRegistry;
import java.util.function.Supplier;

/**
 * A channel as its parts see it; grpc-go's parts hold the {@code *ClientConn}, ours hold this. The
 * {@link ClientConnImpl} creates it before its parts and hands it to each. It holds the facts the
 * parts share (the parsed target, which keeps the target string; the dial options; the registries;
 * the clocks; the serializer) and the only way from a part back to the channel: the few events
 * below. Forward, the parts point at each other directly (resolver wrapper → balancer wrapper →
 * SubConn pool → picker wrapper); nothing else points back.
 *
 * <p>Facts are immutable and read from any thread. Events run in the serializer, except {@link
 * #exitIdleIfNeeded()} and {@link #callsDrained()}, which calls raise on their own threads.
 */
final class ChannelContext {
  /** Appended to every user-agent header. */
  static final String USER_AGENT = "switchboard-java/0.1.0";

  private final ClientConnImpl channel;
  private final Target target;
  private final DialOptions options;
  private final ChannelEnvironment env;
  private final SynchronizationContext syncContext;
  private final String authority;
  private final String userAgent;
  private final BalancerRegistry balancerRegistry;
  private final ResolverRegistry resolverRegistry;
  private final TransportRegistry transportRegistry;
  private final CodecRegistry codecRegistry;
  private final CompressorRegistry compressorRegistry;
  private final HealthCheckRegistry healthCheckRegistry;
  private final ChannelzChannel channelz;

  // Only touched in the serializer.
  /** The current service config's methodConfig; read by every call, replaced in the serializer. */
  private volatile MethodConfigs methodConfigs;

  private boolean shutdown;
  private boolean wiringRebuildQueued;

  /**
   * @param authority the channel's default {@code :authority}
   */
  ChannelContext(
      ClientConnImpl channel,
      Target target,
      DialOptions options,
      ChannelEnvironment env,
      String authority) {
    this.channel = channel;
    this.target = target;
    this.options = options;
    this.env = env;
    this.syncContext = new SynchronizationContext(env.uncaughtExceptionHandler());
    this.authority = authority;
    this.userAgent = userAgent(options.userAgent());
    this.balancerRegistry =
        orDefault(options.balancerRegistry(), BalancerRegistry::getDefaultRegistry);
    this.resolverRegistry =
        orDefault(options.resolverRegistry(), ResolverRegistry::getDefaultRegistry);
    this.transportRegistry =
        orDefault(options.transportRegistry(), TransportRegistry::getDefaultRegistry);
    this.codecRegistry = orDefault(options.codecRegistry(), CodecRegistry::getDefaultRegistry);
    // Calls made before the first resolution get the default config's method settings (already
    // validated by the channel); the resolver's config, if any, takes over once adopted.
    this.methodConfigs = ServiceConfigParser.methodConfigsOf(options.defaultServiceConfigJson());
    this.compressorRegistry =
        orDefault(options.compressorRegistry(), CompressorRegistry::getDefaultRegistry);
    this.healthCheckRegistry = HealthCheckRegistry.getDefaultRegistry();
    this.channelz =
        new ChannelzChannel(
            ChannelzRegistry.getDefault(), target.original(), () -> channel.getState(false));
  }

  private static <T> T orDefault(T value, Supplier<T> fallback) {
    return value != null ? value : fallback.get();
  }

  /** The user-agent header: the dial option's prefix, then ours. */
  static String userAgent(String prefix) {
    return prefix == null || prefix.isBlank() ? USER_AGENT : prefix + " " + USER_AGENT;
  }

  // Facts.

  /** The parsed target; {@link Target#original()} is the target string the channel was made for. */
  Target target() {
    return target;
  }

  DialOptions options() {
    return options;
  }

  /** The channel's channelz entry and call counters. */
  ChannelzChannel channelz() {
    return channelz;
  }

  ChannelEnvironment env() {
    return env;
  }

  /** The channel's serializer: its state, and every resolver, balancer and SubConn callback. */
  SynchronizationContext syncContext() {
    return syncContext;
  }

  /** The channel's default {@code :authority}. */
  String authority() {
    return authority;
  }

  String userAgent() {
    return userAgent;
  }

  BalancerRegistry balancerRegistry() {
    return balancerRegistry;
  }

  ResolverRegistry resolverRegistry() {
    return resolverRegistry;
  }

  TransportRegistry transportRegistry() {
    return transportRegistry;
  }

  CodecRegistry codecRegistry() {
    return codecRegistry;
  }

  CompressorRegistry compressorRegistry() {
    return compressorRegistry;
  }

  /** The health check providers: always the default registry. */
  HealthCheckRegistry healthCheckRegistry() {
    return healthCheckRegistry;
  }

  // Events: what the parts tell the channel.

  /**
   * True once the channel started shutting down: resolver results and balancer updates are ignored.
   * Serializer only.
   */
  /** The method settings calls start with; any thread. */
  MethodConfigs methodConfigs() {
    return methodConfigs;
  }

  /** The service config in force changed its method settings; serializer only. */
  void methodConfigsChanged(MethodConfigs methodConfigs) {
    this.methodConfigs = methodConfigs;
  }

  boolean isShutdown() {
    return shutdown;
  }

  /** The channel's shutdown task starts the shutdown. Serializer only. */
  void startShutdown() {
    shutdown = true;
  }

  /**
   * Something a part reports in the channel's wiring changed: rebuild the snapshot once the current
   * serializer task is done, so that the changes of one task (a connection storm, a balancer swap)
   * cost one rebuild. Serializer only.
   */
  void wiringChanged() {
    if (!wiringRebuildQueued) {
      wiringRebuildQueued = true;
      syncContext.execute(new RebuildWiring());
    }
  }

  /**
   * A balancer asked to resolve again, or a READY connection was lost: ask the resolver now, unless
   * the channel is shutting down. Serializer only.
   */
  void resolveNow() {
    if (!shutdown) {
      channel.resolver().resolveNow();
    }
  }

  /** The balancer accepted the last resolution: the resolver's backoff starts over. */
  void resolutionAccepted() {
    channel.resolver().resolutionAccepted();
  }

  /** The balancer rejected the last resolution, or failed: re-resolve after a backoff. */
  void resolutionRejected() {
    channel.resolver().scheduleRetry();
  }

  /** Every SubConn has terminated after the shutdown: the channel may terminate. */
  void subConnsTerminated() {
    channel.maybeTerminate();
  }

  /**
   * A call attempt is about to pick, or has just queued: leave IDLE if the channel is idle. Any
   * thread.
   */
  void exitIdleIfNeeded() {
    channel.exitIdleIfNeeded();
  }

  /**
   * The last call closed after the channel was shut down: a graceful shutdown may go on, the
   * channel may terminate. Any thread.
   */
  void callsDrained() {
    syncContext.execute(new MaybeTerminate());
  }

  private final class RebuildWiring implements Runnable {
    @Override
    public void run() {
      wiringRebuildQueued = false;
      channel.rebuildWiring();
    }
  }

  private final class MaybeTerminate implements Runnable {
    @Override
    public void run() {
      channel.maybeTerminate();
    }
  }
}
