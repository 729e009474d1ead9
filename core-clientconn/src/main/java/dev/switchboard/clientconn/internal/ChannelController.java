package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.ProviderRegistry;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.spi.Target;
import dev.switchboard.api.transport.TransportRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The serializer-owned core of a channel (the part of grpc-go's {@code clientconn.go} behind the
 * public methods): wires the channel's parts, leaves IDLE, follows the registries as providers
 * come and go, keeps the wiring snapshot, and runs shutdown and termination. The resolver →
 * service config → balancer → picker pipeline is the {@link ChannelBalancer}'s.
 *
 * <p>Providers coming and going ({@link ProvidersChanged}): the balancing policy is chosen again
 * and switched to gracefully when the choice changed (a listed policy arrived or left, or a new
 * provider of it won); a resolver provider that leaves is closed and released, the channel keeping
 * its last addresses (and saying so) until a resolver for the scheme is deployed again; the
 * transport's provider leaving drains its connections ({@link SubConnPool}).
 *
 * <p>Fields under "only touched in the serializer" belong to {@link #syncContext}; the methods
 * without that note are thread-safe. {@link #describeWiring()} reads a snapshot the serializer
 * rebuilds whenever the wiring changes.
 */
final class ChannelController {
  private static final System.Logger LOG = System.getLogger(ChannelController.class.getName());
  /** Appended to every user-agent header. */
  static final String USER_AGENT = "switchboard-java/0.1.0";

  private final String targetString;
  private final Target target;
  private final DialOptions options;
  private final SynchronizationContext syncContext;
  private final BalancerRegistry balancerRegistry;
  private final ResolverRegistry resolverRegistry;
  private final TransportRegistry transportRegistry;
  private final ServiceConfigParser configParser;
  private final ChannelResolver resolver;
  private final ChannelBalancer balancer;
  private final PickerWrapper pickerWrapper = new PickerWrapper();
  private final ConnectivityStateManager stateManager = new ConnectivityStateManager();
  private final SubConnPool subConnPool;
  private final ChannelCalls calls;
  private final CountDownLatch terminatedLatch = new CountDownLatch(1);
  private final ProviderRegistry.Listener registryListener;
  private volatile boolean terminated;
  /** The wiring without codecs, rebuilt in the serializer. */
  private volatile ChannelWiring wiring;

  // Only touched in the serializer: leaving IDLE.
  private boolean exitedIdle;
  // Only touched in the serializer: shutdown.
  private boolean shutdownStarted;
  // Only touched in the serializer: a rebuild of the wiring snapshot is queued.
  private boolean wiringRebuildQueued;

  /**
   * Wires a channel's parts.
   *
   * @param schemeReason why this scheme (and resolver) was chosen, for the wiring
   * @param authority the channel's default {@code :authority}
   */
  ChannelController(String targetString, Target target, ResolverProvider builtinResolver,
      String schemeReason, String authority, DialOptions options, ChannelEnvironment env) {
    this.targetString = targetString;
    this.target = target;
    this.options = options;
    this.syncContext = new SynchronizationContext(env.uncaughtExceptionHandler());
    this.balancerRegistry = orDefault(options.balancerRegistry(),
        BalancerRegistry::getDefaultRegistry);
    this.resolverRegistry = orDefault(options.resolverRegistry(),
        ResolverRegistry::getDefaultRegistry);
    this.transportRegistry = orDefault(options.transportRegistry(),
        TransportRegistry::getDefaultRegistry);
    this.configParser = new ServiceConfigParser(balancerRegistry);
    CompressorRegistry compressors = orDefault(options.compressorRegistry(),
        CompressorRegistry::getDefaultRegistry);
    this.subConnPool = new SubConnPool(new PoolHost(), syncContext, env, options.backoff(),
        transportRegistry, options.transportName(), options.credentials(), compressors, authority,
        userAgent(options.userAgent()), pickerWrapper, options.providerGrace());
    this.balancer = new ChannelBalancer(new BalancingHost(), targetString, syncContext,
        env.timer(), balancerRegistry, new PolicySelector(
            configParser, balancerRegistry, options.defaultServiceConfigJson()),
        pickerWrapper, stateManager, subConnPool, env, options.providerGrace());
    this.resolver = new ChannelResolver(balancer, targetString, target,
        builtinResolver, schemeReason, resolverRegistry, syncContext, env, options.backoff());
    this.calls = new ChannelCalls(new CallsOwner(), authority, options,
        env.defaultCallExecutor(), env.timer(), pickerWrapper,
        orDefault(options.codecRegistry(), CodecRegistry::getDefaultRegistry), compressors);
    this.registryListener = names -> syncContext.execute(new ProvidersChanged());
    this.wiring = buildWiring();
  }

  private static <T> T orDefault(T value, Supplier<T> fallback) {
    return value != null ? value : fallback.get();
  }

  /** The user-agent header: the dial option's prefix, then ours. */
  static String userAgent(String prefix) {
    return prefix == null || prefix.isBlank() ? USER_AGENT : prefix + " " + USER_AGENT;
  }

  SynchronizationContext syncContext() {
    return syncContext;
  }

  ConnectivityStateManager stateManager() {
    return stateManager;
  }

  ChannelCalls calls() {
    return calls;
  }

  /** Queued calls, for tests. */
  int queuedCallCount() {
    return pickerWrapper.queuedCount();
  }

  /** Leaves IDLE (first time: builds resolver and balancer). Thread-safe. */
  void exitIdle() {
    syncContext.execute(new ExitIdle());
  }

  /** Runs the shutdown in the serializer. Thread-safe; the facade calls it once. */
  void shutdown() {
    syncContext.execute(new Shutdown());
  }

  /**
   * Validates {@code json} (null: back to the resolver's or the default config) on the calling
   * thread, then applies it in the serializer. Thread-safe.
   *
   * @throws IllegalArgumentException when {@code json} is invalid
   */
  void updateServiceConfig(String json) {
    if (json != null) {
      configParser.validate(json);
    }
    syncContext.execute(new UpdateServiceConfig(json));
  }

  /** The wiring snapshot, with the codecs calls used and the current state. Thread-safe. */
  ChannelWiring describeWiring() {
    ChannelWiring.Builder b = wiring.toBuilder().connectivityState(stateManager.state());
    for (ChannelWiring.Component codec : calls.describeCodecs()) {
      b.addComponent(codec);
    }
    return b.build();
  }

  boolean isTerminated() {
    return terminated;
  }

  CountDownLatch terminatedLatch() {
    return terminatedLatch;
  }

  /** The error explaining TRANSIENT_FAILURE: the channel's own, else the last connection error. */
  Status lastError() {
    return balancer.lastError();
  }

  private void maybeTerminate() {
    if (!shutdownStarted || terminated || !subConnPool.allTerminated() || calls.hasCalls()) {
      return;
    }
    subConnPool.closeFactory();
    terminated = true;
    terminatedLatch.countDown();
    wiringChanged();
    LOG.log(System.Logger.Level.DEBUG, "channel to {0} terminated", targetString);
  }

  /**
   * Rebuilds the wiring snapshot once the current serializer task is done, so that the changes
   * of one task (a connection storm, a balancer swap) cost one rebuild. Serializer only.
   */
  private void wiringChanged() {
    if (!wiringRebuildQueued) {
      wiringRebuildQueued = true;
      syncContext.execute(new RebuildWiring());
    }
  }

  private ChannelWiring buildWiring() {
    ChannelWiring.Builder b = ChannelWiring.newBuilder().target(targetString)
        .scheme(target.scheme()).connectivityState(stateManager.state())
        .addComponent(resolver.describe());
    balancer.describe().forEach(b::addComponent);
    subConnPool.describe().forEach(b::addComponent);
    return b.build();
  }

  /** Leaves IDLE: builds resolver and balancer the first time, else wakes the balancer. */
  private final class ExitIdle implements Runnable {
    @Override
    public void run() {
      if (shutdownStarted) {
        return;
      }
      if (exitedIdle) {
        balancer.exitIdle();
        return;
      }
      exitedIdle = true;
      stateManager.gotoState(ConnectivityState.CONNECTING);
      balancer.start();
      resolverRegistry.addListener(registryListener);
      balancerRegistry.addListener(registryListener);
      transportRegistry.addListener(registryListener);
      resolver.start();
      wiringChanged();
    }
  }

  /** A registry changed: follow resolver, policy and transport providers. */
  private final class ProvidersChanged implements Runnable {
    @Override
    public void run() {
      if (shutdownStarted || !exitedIdle) {
        return;
      }
      balancer.forgetDepartedPolicies();
      resolver.followProvider();
      subConnPool.providersChanged();
      balancer.update(false);
      wiringChanged();
    }
  }

  /** The application replaced (or cleared) the service config. */
  private final class UpdateServiceConfig implements Runnable {
    private final String json;

    UpdateServiceConfig(String json) {
      this.json = json;
    }

    @Override
    public void run() {
      if (shutdownStarted) {
        return;
      }
      balancer.setServiceConfig(json);
      LOG.log(System.Logger.Level.INFO, "{0}: service config {1}", targetString,
          json == null ? "override cleared" : "set to " + json);
      balancer.update(true);
      wiringChanged();
    }
  }

  /** Stops resolution and balancing and closes every connection now. */
  private final class Shutdown implements Runnable {
    @Override
    public void run() {
      shutdownStarted = true;
      stateManager.gotoState(ConnectivityState.SHUTDOWN);
      pickerWrapper.shutdown(ChannelCalls.CLOSING);
      resolverRegistry.removeListener(registryListener);
      balancerRegistry.removeListener(registryListener);
      transportRegistry.removeListener(registryListener);
      resolver.close();
      balancer.close();
      subConnPool.shutdownNow(ChannelCalls.CLOSING);
      maybeTerminate();
      wiringChanged();
    }
  }

  private final class RebuildWiring implements Runnable {
    @Override
    public void run() {
      wiringRebuildQueued = false;
      wiring = buildWiring();
    }
  }

  private final class MaybeTerminate implements Runnable {
    @Override
    public void run() {
      maybeTerminate();
    }
  }

  private final class BalancingHost implements ChannelBalancer.Host {
    @Override
    public boolean isShutdown() {
      return shutdownStarted;
    }

    @Override
    public void wiringChanged() {
      ChannelController.this.wiringChanged();
    }

    @Override
    public void resolveNow() {
      resolver.resolveNow();
    }

    @Override
    public void resolutionAccepted() {
      resolver.resolutionAccepted();
    }

    @Override
    public void scheduleRetry() {
      resolver.scheduleRetry();
    }
  }

  private final class PoolHost implements SubConnPool.Host {
    @Override
    public void resolveNow() {
      if (!shutdownStarted) {
        resolver.resolveNow();
      }
    }

    @Override
    public void allTerminated() {
      maybeTerminate();
    }

    @Override
    public void wiringChanged() {
      ChannelController.this.wiringChanged();
    }
  }

  private final class CallsOwner implements ChannelCalls.Owner {
    @Override
    public void exitIdleIfNeeded() {
      if (stateManager.state() == ConnectivityState.IDLE) {
        syncContext.execute(new ExitIdle());
      }
    }

    @Override
    public void callsDrained() {
      syncContext.execute(new MaybeTerminate());
    }
  }
}
