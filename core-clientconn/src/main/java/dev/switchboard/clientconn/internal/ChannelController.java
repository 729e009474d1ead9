package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.ConfigOrError;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.ProviderRegistry;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.api.spi.SubConnStateListener;
import dev.switchboard.api.spi.Target;
import dev.switchboard.api.transport.TransportRegistry;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The serializer-owned core of a channel (the part of grpc-go's {@code clientconn.go} behind the
 * public methods): leaving IDLE, the resolver → service config → balancer → picker pipeline,
 * retrying what failed for want of a deployed resolver or policy when a registry changes, and
 * shutdown and termination.
 *
 * <p>A missing resolver, an unusable first service config (malformed, or no listed policy
 * deployed) fails picks with UNAVAILABLE naming what is missing and puts the channel in
 * TRANSIENT_FAILURE. Later invalid configs keep the last good one, as gRPC specifies.
 *
 * <p>Fields under "only touched in the serializer" belong to {@link #syncContext}; the methods
 * without that note are thread-safe.
 */
final class ChannelController {
  private static final System.Logger LOG = System.getLogger(ChannelController.class.getName());
  /** Appended to every user-agent header. */
  static final String USER_AGENT = "switchboard-java/0.1.0";

  private final String targetString;
  private final Target target;
  private final ResolverProvider builtinResolver; // null: look the scheme up in the registry
  private final DialOptions options;
  private final ChannelEnvironment env;
  private final SynchronizationContext syncContext;
  private final BalancerRegistry balancerRegistry;
  private final ResolverRegistry resolverRegistry;
  private final ServiceConfigParser configParser;
  private final PickerWrapper pickerWrapper = new PickerWrapper();
  private final ConnectivityStateManager stateManager = new ConnectivityStateManager();
  private final SubConnPool subConnPool;
  private final ChannelCalls calls;
  private final CountDownLatch terminatedLatch = new CountDownLatch(1);
  private final ProviderRegistry.Listener registryListener;
  /** Why the channel itself fails picks (no resolver, no usable config), or null. */
  private volatile Status channelError;
  private volatile boolean terminated;

  // Only touched in the serializer: resolution and balancing.
  private boolean exitedIdle;
  private ResolverWrapper resolverWrapper;
  private BalancerWrapper balancerWrapper;
  private ResolverState lastResolverState;
  private ServiceConfig lastGoodConfig;
  // Only touched in the serializer: shutdown.
  private boolean shutdownStarted;

  /**
   * Wires a channel's parts.
   *
   * @param authority the channel's default {@code :authority}
   */
  ChannelController(String targetString, Target target, ResolverProvider builtinResolver,
      String authority, DialOptions options, ChannelEnvironment env) {
    this.targetString = targetString;
    this.target = target;
    this.builtinResolver = builtinResolver;
    this.options = options;
    this.env = env;
    this.syncContext = new SynchronizationContext(env.uncaughtExceptionHandler());
    this.balancerRegistry = orDefault(options.balancerRegistry(),
        BalancerRegistry::getDefaultRegistry);
    this.resolverRegistry = orDefault(options.resolverRegistry(),
        ResolverRegistry::getDefaultRegistry);
    this.configParser = new ServiceConfigParser(balancerRegistry);
    CompressorRegistry compressors = orDefault(options.compressorRegistry(),
        CompressorRegistry::getDefaultRegistry);
    this.subConnPool = new SubConnPool(new PoolHost(), syncContext, env, options.backoff(),
        orDefault(options.transportRegistry(), TransportRegistry::getDefaultRegistry),
        options.transportName(), options.credentials(), compressors, authority,
        userAgent(options.userAgent()), pickerWrapper);
    this.calls = new ChannelCalls(new CallsOwner(), authority, options,
        env.defaultCallExecutor(), env.timer(), pickerWrapper,
        orDefault(options.codecRegistry(), CodecRegistry::getDefaultRegistry), compressors);
    this.registryListener = names -> syncContext.execute(new ProvidersChanged());
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

  boolean isTerminated() {
    return terminated;
  }

  CountDownLatch terminatedLatch() {
    return terminatedLatch;
  }

  /** The error explaining TRANSIENT_FAILURE: the channel's own, else the last connection error. */
  Status lastError() {
    Status error = channelError;
    return error != null ? error : pickerWrapper.lastConnectionError();
  }

  private void failChannel(Status error) {
    channelError = error;
    pickerWrapper.updatePicker(Picker.of(PickResult.withError(error)), "none");
    stateManager.gotoState(ConnectivityState.TRANSIENT_FAILURE);
  }

  private void startResolver() {
    ResolverProvider provider =
        builtinResolver != null ? builtinResolver : resolverRegistry.lookup(target.scheme());
    if (provider == null) {
      failChannel(Status.UNAVAILABLE.withDescription("no resolver for scheme '" + target.scheme()
          + "' (is its bundle deployed?)"));
      return;
    }
    resolverWrapper = new ResolverWrapper(new ResolverHost(), syncContext, env.timer(),
        new Backoff(options.backoff(), env.random()), provider, target);
    resolverWrapper.start();
  }

  private void handleResolverState(ResolverState state) {
    lastResolverState = state;
    String json = state.serviceConfigJson() != null
        ? state.serviceConfigJson() : options.defaultServiceConfigJson();
    ConfigOrError parsed = configParser.parse(json);
    ServiceConfig config;
    if (parsed.error() == null) {
      config = (ServiceConfig) parsed.config();
      lastGoodConfig = config;
    } else if (lastGoodConfig != null) {
      LOG.log(System.Logger.Level.WARNING, "{0}: keeping the previous service config: {1}",
          targetString, parsed.error());
      config = lastGoodConfig;
    } else {
      failChannel(parsed.error());
      return;
    }
    channelError = null;
    Status accepted = balancerWrapper.updateClientConnState(config,
        new ClientConnState(state.addresses(), state.attributes(), config.balancerConfig()));
    if (accepted.isOk()) {
      resolverWrapper.resolutionAccepted();
    } else {
      resolverWrapper.scheduleRetry();
    }
  }

  private void maybeTerminate() {
    if (!shutdownStarted || terminated || !subConnPool.allTerminated() || calls.hasCalls()) {
      return;
    }
    subConnPool.closeFactory();
    terminated = true;
    terminatedLatch.countDown();
    LOG.log(System.Logger.Level.DEBUG, "channel to {0} terminated", targetString);
  }

  /** Leaves IDLE: builds resolver and balancer the first time, else wakes the balancer. */
  private final class ExitIdle implements Runnable {
    @Override
    public void run() {
      if (shutdownStarted) {
        return;
      }
      if (exitedIdle) {
        balancerWrapper.exitIdle();
        return;
      }
      exitedIdle = true;
      stateManager.gotoState(ConnectivityState.CONNECTING);
      balancerWrapper = new BalancerWrapper(new BalancerHost());
      resolverRegistry.addListener(registryListener);
      balancerRegistry.addListener(registryListener);
      startResolver();
    }
  }

  /** A registry changed: retry what failed for want of a resolver or balancing policy. */
  private final class ProvidersChanged implements Runnable {
    @Override
    public void run() {
      if (shutdownStarted || !exitedIdle) {
        return;
      }
      if (resolverWrapper == null) {
        startResolver();
      } else if (channelError != null && lastResolverState != null) {
        handleResolverState(lastResolverState);
      }
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
      if (resolverWrapper != null) {
        resolverWrapper.close();
      }
      if (balancerWrapper != null) {
        balancerWrapper.close();
      }
      subConnPool.shutdownNow(ChannelCalls.CLOSING);
      maybeTerminate();
    }
  }

  private final class MaybeTerminate implements Runnable {
    @Override
    public void run() {
      maybeTerminate();
    }
  }

  private final class ResolverHost implements ResolverWrapper.Host {
    @Override
    public void onResolverState(ResolverState state) {
      if (!shutdownStarted) {
        handleResolverState(state);
      }
    }

    @Override
    public void onResolverError(Status error) {
      if (shutdownStarted) {
        return;
      }
      if (balancerWrapper.policyName() == null) {
        channelError = error;
      }
      balancerWrapper.resolverError(error);
    }
  }

  private final class BalancerHost implements BalancerWrapper.Host {
    @Override
    public void updateBalancerState(ConnectivityState state, Picker picker, String policyName) {
      if (shutdownStarted) {
        return;
      }
      if (state == ConnectivityState.SHUTDOWN) {
        LOG.log(System.Logger.Level.WARNING,
            "policy {0} reported SHUTDOWN; treated as TRANSIENT_FAILURE", policyName);
        state = ConnectivityState.TRANSIENT_FAILURE;
      }
      pickerWrapper.updatePicker(picker, policyName);
      stateManager.gotoState(state);
    }

    @Override
    public SubConnImpl newSubConn(List<Address> addresses, SubConnStateListener listener) {
      return subConnPool.newSubConn(addresses, listener);
    }

    @Override
    public void resolveNow() {
      if (resolverWrapper != null) {
        resolverWrapper.resolveNow();
      }
    }

    @Override
    public void balancerFailed() {
      if (resolverWrapper != null) {
        resolverWrapper.scheduleRetry();
      }
    }

    @Override
    public String target() {
      return targetString;
    }

    @Override
    public SynchronizationContext syncContext() {
      return syncContext;
    }

    @Override
    public ScheduledExecutorService timer() {
      return env.timer();
    }

    @Override
    public BalancerRegistry balancerRegistry() {
      return balancerRegistry;
    }
  }

  private final class PoolHost implements SubConnPool.Host {
    @Override
    public void resolveNow() {
      if (resolverWrapper != null && !shutdownStarted) {
        resolverWrapper.resolveNow();
      }
    }

    @Override
    public void allTerminated() {
      maybeTerminate();
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
