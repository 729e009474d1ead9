package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallCredentials;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientInterceptor;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.CompositeCredentials;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Context;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.Target;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The channel: grpc-go's {@code ClientConn}. Created by {@link ChannelFactory}.
 *
 * <p>It owns its parts, each in its own file: the {@link ResolverWrapper} (the target's resolver),
 * the {@link BalancerWrapper} (service config and balancers), the {@link SubConnPool} (SubConns and
 * the transport they connect with), the {@link PickerWrapper} (a transport for each call attempt)
 * and {@link ChannelCalls} (what calls share, and the calls in flight). They are built leaves first
 * and point forward (resolver → balancer → SubConns → picker); the only way back to the channel is
 * the {@link ChannelContext} each of them holds.
 *
 * <p>Its {@link ChannelLifecycle} takes it in and out of IDLE (the first call, {@link #connect()}
 * or {@code getState(true)} creates the resolver and balancer; the idle timeout or {@link
 * #enterIdle()} closes them), shuts it down gracefully ({@link #shutdown()}) or at once ({@link
 * #shutdownNow()}, which {@link #close()} is), and terminates it. Calls enter at {@link
 * #newStream}, pass through the dial options' interceptors (first listed sees the call first) with
 * the channel's default call options merged in, and become {@link ClientStreamImpl}s in {@link
 * #newCall}. {@link #describeWiring()} reports the providers in use and why, from a snapshot the
 * serializer rebuilds whenever the wiring changes; {@link #updateServiceConfig} and {@link
 * #updateDefaultServiceConfig} switch a live channel's policy gracefully.
 *
 * <p>Providers coming and going (the lifecycle's registry listener): the balancing policy is chosen
 * again and switched to gracefully when the choice changed; a resolver provider that leaves is
 * closed and released, the channel keeping its last addresses; the transport's provider leaving
 * drains its connections.
 *
 * <p>Thread-safe; nothing blocks except {@link #waitForStateChange} and {@link #awaitTermination},
 * which must not be called from the channel's serializer. Fields under "only touched in the
 * serializer" belong to {@link ChannelContext#syncContext()}.
 */
public final class ClientConnImpl implements ClientConn {
  private static final System.Logger LOG = System.getLogger(ClientConnImpl.class.getName());

  private final ChannelContext ctx;
  private final DialOptions options;
  private final CallOptions channelDefaults;

  /** The call credentials of {@link CompositeCredentials}, applied to every call; or null. */
  private final CallCredentials channelCallCredentials;

  private final ConnectivityStateManager stateManager = new ConnectivityStateManager();
  private final PickerWrapper pickerWrapper;
  private final SubConnPool subConnPool;
  private final BalancerWrapper balancerWrapper;
  private final ResolverWrapper resolverWrapper;
  private final ChannelCalls calls;
  private final ChannelLifecycle lifecycle;
  private final Channel interceptedChannel;

  /** The wiring without codecs, rebuilt in the serializer. */
  private volatile ChannelWiring wiring;

  /**
   * Builds the channel's parts; nothing starts before the channel leaves IDLE.
   *
   * @param builtinResolver the resolver provider for a built-in scheme, or null to look the
   *     target's scheme up in the resolver registry
   * @param schemeReason why this scheme (and resolver) was chosen, for the wiring
   * @param defaultAuthority the {@code :authority} unless the dial options name one
   * @throws IllegalArgumentException when the default service config is malformed
   */
  ClientConnImpl(
      Target target,
      ResolverProvider builtinResolver,
      String schemeReason,
      String defaultAuthority,
      DialOptions options,
      ChannelEnvironment env) {
    Objects.requireNonNull(target, "target");
    this.options = Objects.requireNonNull(options, "options");
    this.channelDefaults = channelDefaults(options);
    this.channelCallCredentials =
        options.credentials() instanceof CompositeCredentials composite
            ? composite.callCredentials()
            : null;
    if (options.defaultServiceConfigJson() != null) {
      try {
        ServiceConfigParser.checkSyntax(options.defaultServiceConfigJson());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid default service config: " + e.getMessage(), e);
      }
    }
    String authority = options.authority() != null ? options.authority() : defaultAuthority;
    this.ctx = new ChannelContext(this, target, options, env, authority);
    this.pickerWrapper = new PickerWrapper(ctx);
    this.subConnPool = new SubConnPool(ctx, pickerWrapper);
    this.balancerWrapper = new BalancerWrapper(ctx, subConnPool, pickerWrapper, stateManager);
    this.resolverWrapper = new ResolverWrapper(ctx, balancerWrapper, builtinResolver, schemeReason);
    IdleTimer idleTimer =
        new IdleTimer(
            options.idleTimeout(),
            ctx.syncContext(),
            env.timer(),
            env.ticker(),
            this::hasCalls,
            this::idleTimeoutElapsed);
    this.calls = new ChannelCalls(ctx, pickerWrapper, idleTimer);
    this.lifecycle =
        new ChannelLifecycle(
            ctx,
            stateManager,
            pickerWrapper,
            subConnPool,
            balancerWrapper,
            resolverWrapper,
            calls,
            idleTimer);
    this.interceptedChannel =
        ClientInterceptor.intercept(new RealChannel(), options.interceptors());
    this.wiring = buildWiring();
    ctx.channelz().register();
  }

  // The public face.

  @Override
  public <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(callOptions, "callOptions");
    return interceptedChannel.newStream(method, callOptions.withDefaults(channelDefaults));
  }

  @Override
  public String authority() {
    return ctx.authority();
  }

  @Override
  public String target() {
    return ctx.target().original();
  }

  @Override
  public ConnectivityState getState(boolean connect) {
    ConnectivityState state = stateManager.state();
    if (connect && state == ConnectivityState.IDLE) {
      connect();
    }
    return state;
  }

  @Override
  public boolean waitForStateChange(ConnectivityState source, long timeout, TimeUnit unit)
      throws InterruptedException {
    if (ctx.syncContext().isInContext()) {
      throw new IllegalStateException("waitForStateChange would block the channel's serializer");
    }
    CountDownLatch changed = new CountDownLatch(1);
    notifyWhenStateChanged(source, changed::countDown, Runnable::run);
    return changed.await(timeout, unit);
  }

  @Override
  public void notifyWhenStateChanged(
      ConnectivityState source, Runnable callback, Executor executor) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(executor, "executor");
    ctx.syncContext()
        .execute(() -> stateManager.notifyWhenStateChanged(source, callback, executor));
  }

  @Override
  public void connect() {
    lifecycle.connect();
  }

  @Override
  public void enterIdle() {
    lifecycle.enterIdle();
  }

  @Override
  public void resetConnectBackoff() {
    lifecycle.resetConnectBackoff();
  }

  @Override
  public void shutdown() {
    if (lifecycle.shutdown()) {
      LiveChannels.remove(this);
      ctx.channelz().unregister();
    }
  }

  @Override
  public void shutdownNow() {
    if (lifecycle.shutdownNow()) {
      LiveChannels.remove(this);
      ctx.channelz().unregister();
    }
  }

  /** {@link #shutdownNow()}: calls in flight are cancelled. */
  @Override
  public void close() {
    shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return lifecycle.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return lifecycle.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return lifecycle.awaitTermination(timeout, unit);
  }

  /** A snapshot of the providers this channel uses and why; see {@link ChannelWiring}. */
  @Override
  public ChannelWiring describeWiring() {
    ChannelWiring.Builder b =
        wiring.toBuilder()
            .connectivityState(stateManager.state())
            .calls(ctx.channelz().calls().snapshot());
    for (ChannelWiring.Component codec : calls.describeCodecs()) {
      b.addComponent(codec);
    }
    return b.build();
  }

  /**
   * Replaces the service config; see {@link ClientConn#updateServiceConfig}. Validates {@code
   * serviceConfigJson} on the calling thread, then applies it in the serializer.
   *
   * @throws IllegalArgumentException when {@code serviceConfigJson} is invalid
   * @throws IllegalStateException when the channel is closed
   */
  @Override
  public void updateServiceConfig(String serviceConfigJson) {
    if (lifecycle.isShutdown()) {
      throw new IllegalStateException("channel to '" + target() + "' is shut down");
    }
    if (serviceConfigJson != null) {
      balancerWrapper.validateServiceConfig(serviceConfigJson);
    }
    ctx.syncContext().execute(new UpdateServiceConfig(serviceConfigJson));
  }

  /**
   * Replaces the default service config; see {@link ClientConn#updateDefaultServiceConfig}.
   * Validates {@code serviceConfigJson} on the calling thread, then applies it in the serializer.
   *
   * @throws IllegalArgumentException when {@code serviceConfigJson} is invalid
   * @throws IllegalStateException when the channel is closed
   */
  @Override
  public void updateDefaultServiceConfig(String serviceConfigJson) {
    if (lifecycle.isShutdown()) {
      throw new IllegalStateException("channel to '" + target() + "' is shut down");
    }
    if (serviceConfigJson != null) {
      balancerWrapper.validateServiceConfig(serviceConfigJson);
    }
    ctx.syncContext().execute(new UpdateDefaultServiceConfig(serviceConfigJson));
  }

  @Override
  public String toString() {
    return "ClientConn{target=" + target() + ", state=" + stateManager.state() + "}";
  }

  // For the factory and tests.

  /** The parsed target: scheme, authority, endpoint. */
  Target parsedTarget() {
    return ctx.target();
  }

  /** The error explaining TRANSIENT_FAILURE: the channel's own, else the last connection error. */
  Status lastError() {
    return balancerWrapper.lastError();
  }

  /** Queued calls, for tests. */
  int queuedCallCount() {
    return pickerWrapper.queuedCount();
  }

  /** The lifecycle, for tests. */
  ChannelLifecycle lifecycle() {
    return lifecycle;
  }

  SynchronizationContext syncContext() {
    return ctx.syncContext();
  }

  // The call path.

  /**
   * The dial options' default call options with the channel's message size limits where they set
   * none: merged into each call's options at once (one copy per call at most, none for calls that
   * set no options).
   */
  private static CallOptions channelDefaults(DialOptions options) {
    CallOptions defaults = options.defaultCallOptions();
    if (defaults.getMaxInboundMessageSize() < 0) {
      defaults = defaults.withMaxInboundMessageSize(options.maxReceiveMessageSize());
    }
    if (defaults.getMaxOutboundMessageSize() < 0) {
      defaults = defaults.withMaxOutboundMessageSize(options.maxSendMessageSize());
    }
    return defaults;
  }

  /**
   * A new call, past the interceptors (grpc-go's {@code newClientStream}): the channel's defaults
   * apply again to whatever the interceptors passed on, then the service config's settings for the
   * method ({@link MethodConfigs}), and the call's executor is chosen. The call picks a transport
   * when it starts ({@link ClientStreamImpl#start}).
   */
  private <ReqT, RespT> ClientStream<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    CallOptions merged = callOptions.withDefaults(channelDefaults);
    MethodConfigs methodConfigs = ctx.methodConfigs(); // read once: one config for the call
    MethodConfigs.MethodConfig methodConfig = methodConfigs.forMethod(method.getFullMethodName());
    if (methodConfig != null) {
      merged = methodConfig.applyTo(merged, ctx.env().ticker());
    }
    Context context = Context.current();
    Deadline inherited = context.deadline();
    if (inherited != null && isEarlier(inherited, merged.getDeadline())) {
      merged = merged.withDeadline(inherited);
    }
    Executor executor =
        merged.getExecutor() != null
            ? merged.getExecutor()
            : options.executor() != null ? options.executor() : ctx.env().defaultCallExecutor();
    boolean retries = methodConfig != null && !options.retryDisabled();
    RetryPolicy retryPolicy = retries ? methodConfig.retryPolicy() : null;
    HedgingPolicy hedgingPolicy = retries ? methodConfig.hedgingPolicy() : null;
    if (channelCallCredentials != null) {
      CallCredentials own = merged.getCallCredentials();
      merged =
          merged.withCallCredentials(
              own == null
                  ? channelCallCredentials
                  : new CombinedCallCredentials(channelCallCredentials, own));
    }
    return new ClientStreamImpl<>(
        method,
        merged,
        calls,
        executor,
        context,
        retryPolicy,
        hedgingPolicy,
        methodConfigs.throttle());
  }

  /**
   * Whether {@code a} comes before {@code b} (null: none); deadlines on two tickers by time left.
   */
  private static boolean isEarlier(Deadline a, Deadline b) {
    if (b == null) {
      return true;
    }
    return a.ticker() == b.ticker()
        ? a.isBefore(b)
        : a.timeRemaining(TimeUnit.NANOSECONDS) < b.timeRemaining(TimeUnit.NANOSECONDS);
  }

  /** The innermost {@link Channel} of the interceptor chain. */
  private final class RealChannel implements Channel {
    @Override
    public <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
      return newCall(method, callOptions);
    }

    @Override
    public String authority() {
      return ctx.authority();
    }
  }

  // Reached from the parts through the ChannelContext.

  ResolverWrapper resolver() {
    return resolverWrapper;
  }

  /** A call attempt is about to pick, or has queued: leave IDLE if needed. Any thread. */
  void exitIdleIfNeeded() {
    lifecycle.exitIdleIfNeeded();
  }

  /** See {@link ChannelLifecycle#maybeTerminate()}. Serializer only. */
  void maybeTerminate() {
    lifecycle.maybeTerminate();
  }

  private boolean hasCalls() {
    return calls.hasCalls();
  }

  private void idleTimeoutElapsed() {
    lifecycle.idleTimeoutElapsed();
  }

  /** Rebuilds the wiring snapshot. Serializer only; see {@link ChannelContext#wiringChanged()}. */
  void rebuildWiring() {
    wiring = buildWiring();
  }

  private ChannelWiring buildWiring() {
    ChannelWiring.Builder b =
        ChannelWiring.newBuilder()
            .target(target())
            .scheme(ctx.target().scheme())
            .connectivityState(stateManager.state())
            .addComponent(resolverWrapper.describe(balancerWrapper.providerWait()));
    balancerWrapper.describe().forEach(b::addComponent);
    subConnPool.describe().forEach(b::addComponent);
    return b.build();
  }

  // Serializer tasks.

  /** The application replaced (or cleared) the service config. */
  private final class UpdateServiceConfig implements Runnable {
    private final String json;

    UpdateServiceConfig(String json) {
      this.json = json;
    }

    @Override
    public void run() {
      if (ctx.isShutdown()) {
        return;
      }
      balancerWrapper.updateServiceConfig(json);
      ctx.wiringChanged();
    }
  }

  /** The application replaced (or removed) the default service config. */
  private final class UpdateDefaultServiceConfig implements Runnable {
    private final String json;

    UpdateDefaultServiceConfig(String json) {
      this.json = json;
    }

    @Override
    public void run() {
      if (ctx.isShutdown()) {
        return;
      }
      balancerWrapper.updateDefaultServiceConfig(json);
      ctx.wiringChanged();
    }
  }
}
