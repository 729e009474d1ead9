package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
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
 * following the registries as providers come and go, and shutdown and termination.
 *
 * <p>Providers coming and going ({@link ProvidersChanged}): the balancing policy is chosen again
 * and switched to gracefully when the choice changed (a listed policy arrived or left, or a new
 * provider of it won); a resolver provider that leaves is closed and released, the channel keeping
 * its last addresses (and saying so) until a resolver for the scheme is deployed again; the
 * transport's provider leaving drains its connections ({@link SubConnPool}). A balancer provider
 * that throws is skipped for the next listed policy while one is usable.
 *
 * <p>A missing resolver, an unusable first service config (malformed, or no listed policy
 * deployed) fails picks with UNAVAILABLE naming what is missing and puts the channel in
 * TRANSIENT_FAILURE. Later unusable configs keep the balancer in place, as gRPC specifies.
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
  private final ChannelEnvironment env;
  private final SynchronizationContext syncContext;
  private final BalancerRegistry balancerRegistry;
  private final ResolverRegistry resolverRegistry;
  private final TransportRegistry transportRegistry;
  private final ServiceConfigParser configParser;
  private final ChannelResolver resolver;
  private final PolicySelector policySelector;
  private final PickerWrapper pickerWrapper = new PickerWrapper();
  private final ConnectivityStateManager stateManager = new ConnectivityStateManager();
  private final SubConnPool subConnPool;
  private final ChannelCalls calls;
  private final CountDownLatch terminatedLatch = new CountDownLatch(1);
  private final ProviderRegistry.Listener registryListener;
  /** Why the channel itself fails picks (no resolver, no usable config), or null. */
  private volatile Status channelError;
  private volatile boolean terminated;
  /** The wiring without codecs, rebuilt in the serializer. */
  private volatile ChannelWiring wiring;

  // Only touched in the serializer: resolution and balancing.
  private boolean exitedIdle;
  private BalancerWrapper balancerWrapper;
  private ResolverState lastResolverState;
  /** Why the first config was unusable (the channel fails), or null. */
  private Status configError;
  /** Why no listed policy is usable any more while the current balancer keeps serving, or null. */
  private Status policyUnavailable;
  // Only touched in the serializer: shutdown.
  private boolean shutdownStarted;

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
    this.env = env;
    this.syncContext = new SynchronizationContext(env.uncaughtExceptionHandler());
    this.balancerRegistry = orDefault(options.balancerRegistry(),
        BalancerRegistry::getDefaultRegistry);
    this.resolverRegistry = orDefault(options.resolverRegistry(),
        ResolverRegistry::getDefaultRegistry);
    this.transportRegistry = orDefault(options.transportRegistry(),
        TransportRegistry::getDefaultRegistry);
    this.configParser = new ServiceConfigParser(balancerRegistry);
    this.policySelector = new PolicySelector(
        configParser, balancerRegistry, options.defaultServiceConfigJson());
    this.resolver = new ChannelResolver(new ResolverHost(), targetString, target,
        builtinResolver, schemeReason, resolverRegistry, syncContext, env, options.backoff());
    CompressorRegistry compressors = orDefault(options.compressorRegistry(),
        CompressorRegistry::getDefaultRegistry);
    this.subConnPool = new SubConnPool(new PoolHost(), syncContext, env, options.backoff(),
        transportRegistry, options.transportName(), options.credentials(), compressors, authority,
        userAgent(options.userAgent()), pickerWrapper);
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
    Status error = channelError;
    return error != null ? error : pickerWrapper.lastConnectionError();
  }

  private void failChannel(Status error) {
    channelError = error;
    pickerWrapper.updatePicker(Picker.of(PickResult.withError(error)), "none");
    stateManager.gotoState(ConnectivityState.TRANSIENT_FAILURE);
  }

  /**
   * The config to balance with: the parsed one, else (unusable) the latest balancer's, else
   * null after failing the channel.
   */
  private ServiceConfig chooseConfig() {
    PolicySelector.Choice choice = policySelector.choose(lastResolverState);
    if (choice.error() == null) {
      if (policyUnavailable != null) {
        LOG.log(System.Logger.Level.INFO, "{0}: service config usable again", targetString);
      }
      policyUnavailable = null;
      configError = null;
      return choice.config();
    }
    ServiceConfig keep = balancerWrapper.latestConfig();
    if (keep != null) {
      if (!choice.error().equals(policyUnavailable)) {
        LOG.log(System.Logger.Level.WARNING, "{0}: keeping balancing policy {1}: {2}",
            targetString, keep.policyName(), choice.error().getDescription());
      }
      policyUnavailable = choice.error();
      return keep;
    }
    configError = choice.error();
    failChannel(choice.error());
    return null;
  }

  /**
   * Gives the balancer the last resolution with the config chosen now. With {@code newState}
   * false (a registry changed), only acts when the chosen policy or provider differs from the
   * latest balancer's, or the channel was failing for want of one.
   */
  private void updateBalancer(boolean newState) {
    if (lastResolverState == null || balancerWrapper == null) {
      return;
    }
    boolean push = newState;
    for (int round = 0; round < 3; round++) {
      ServiceConfig config = chooseConfig();
      if (config == null) {
        return;
      }
      ServiceConfig latest = balancerWrapper.latestConfig();
      boolean same = config.samePolicyAs(latest);
      if (!push && same && channelError == null) {
        balancerWrapper.refreshConfig(config);
        return;
      }
      if (!push && same && balancerWrapper.latestFailed()) {
        return; // the backoff'd re-resolution rebuilds it
      }
      channelError = null;
      Status accepted = balancerWrapper.updateClientConnState(config, new ClientConnState(
          lastResolverState.addresses(), lastResolverState.attributes(),
          config.balancerConfig()));
      if (policySelector.hasFailed(config.provider())) {
        ServiceConfig next = chooseConfig(); // skips the provider that just failed
        if (next != null && !next.samePolicyAs(config)) {
          push = true;
          continue; // fall back to the next listed policy right away
        }
      }
      if (accepted.isOk()) {
        resolver.resolutionAccepted();
      } else {
        resolver.scheduleRetry();
      }
      return;
    }
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

  /** Rebuilds the wiring snapshot. Serializer (or constructor) only. */
  private void wiringChanged() {
    wiring = buildWiring();
  }

  private ChannelWiring buildWiring() {
    ChannelWiring.Builder b = ChannelWiring.newBuilder().target(targetString)
        .scheme(target.scheme()).connectivityState(stateManager.state())
        .addComponent(resolver.describe());
    if (balancerWrapper != null) {
      balancerWrapper.describe(policyUnavailable).forEach(b::addComponent);
      if (balancerWrapper.latestConfig() == null && configError != null) {
        b.addComponent(ChannelWiring.Component.newBuilder(ChannelWiring.Role.BALANCER, "none")
            .state(ChannelWiring.State.MISSING)
            .reason(policySelector.source(lastResolverState).description())
            .detail(configError.getDescription()).build());
      }
    }
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
        balancerWrapper.exitIdle();
        return;
      }
      exitedIdle = true;
      stateManager.gotoState(ConnectivityState.CONNECTING);
      balancerWrapper = new BalancerWrapper(new BalancerHost());
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
      policySelector.forgetDeparted();
      resolver.followProvider();
      subConnPool.providersChanged();
      updateBalancer(false);
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
      policySelector.setExplicit(json);
      LOG.log(System.Logger.Level.INFO, "{0}: service config {1}", targetString,
          json == null ? "override cleared" : "set to " + json);
      updateBalancer(true);
      wiringChanged();
    }
  }

  /** A balancer failed outside an update: fall back to another listed policy if there is one. */
  private final class Reevaluate implements Runnable {
    @Override
    public void run() {
      if (!shutdownStarted && exitedIdle) {
        updateBalancer(false);
        wiringChanged();
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
      transportRegistry.removeListener(registryListener);
      resolver.close();
      if (balancerWrapper != null) {
        balancerWrapper.close();
      }
      subConnPool.shutdownNow(ChannelCalls.CLOSING);
      maybeTerminate();
      wiringChanged();
    }
  }

  private final class MaybeTerminate implements Runnable {
    @Override
    public void run() {
      maybeTerminate();
    }
  }

  private final class ResolverHost implements ChannelResolver.Host {
    @Override
    public void noResolver(Status error) {
      failChannel(error);
    }

    @Override
    public ResolverState lastResolverState() {
      return lastResolverState;
    }

    @Override
    public void onResolverState(ResolverState state) {
      if (shutdownStarted) {
        return;
      }
      lastResolverState = state;
      updateBalancer(true);
      wiringChanged();
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
      wiringChanged();
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
      resolver.resolveNow();
    }

    @Override
    public void balancerFailed(ServiceConfig config, Status failure) {
      policySelector.failed(config);
      resolver.scheduleRetry();
      syncContext.execute(new Reevaluate());
    }

    @Override
    public void wiringChanged() {
      ChannelController.this.wiringChanged();
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
