package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientInterceptor;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ConnectivityState;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The channel: grpc-go's {@code ClientConn}. Created by {@link ChannelFactory}; this class is the
 * thread-safe public face, the {@link ChannelController} the serializer-owned core, and {@link
 * ChannelCalls} the call side.
 *
 * <p>It starts IDLE; the first call, {@link #connect()} or {@code getState(true)} creates the
 * resolver and balancer. Calls pass through the dial options' interceptors (first listed sees the
 * call first) with the channel's default call options merged in. {@link #close()} cancels in-flight
 * and queued calls with CANCELLED "channel is closing", refuses new ones the same way, shuts
 * SubConns and transports down, and terminates once they and all calls are gone, closing the
 * transport factory. {@link #describeWiring()} reports the providers in use and why; {@link
 * #updateServiceConfig} switches a live channel's policy gracefully.
 *
 * <p>Thread-safe; nothing blocks except {@link #waitForStateChange} and {@link
 * #awaitTermination}, which must not be called from the channel's serializer.
 */
public final class ClientConnImpl implements ClientConn {
  private final String targetString;
  private final Target target;
  private final DialOptions options;
  private final ChannelController controller;
  private final ConnectivityStateManager stateManager;
  private final SynchronizationContext syncContext;
  private final ChannelCalls calls;
  private final Channel interceptedChannel;
  private final AtomicBoolean shutdown = new AtomicBoolean();

  /**
   * @throws IllegalArgumentException when the default service config is malformed
   */
  ClientConnImpl(String targetString, Target target, ResolverProvider builtinResolver,
      String schemeReason, String defaultAuthority, DialOptions options, ChannelEnvironment env) {
    this.targetString = Objects.requireNonNull(targetString, "target");
    this.target = Objects.requireNonNull(target, "parsed target");
    this.options = Objects.requireNonNull(options, "options");
    if (options.defaultServiceConfigJson() != null) {
      try {
        ServiceConfigParser.checkSyntax(options.defaultServiceConfigJson());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid default service config: " + e.getMessage(), e);
      }
    }
    String authority = options.authority() != null ? options.authority() : defaultAuthority;
    this.controller = new ChannelController(
        targetString, target, builtinResolver, schemeReason, authority, options, env);
    this.stateManager = controller.stateManager();
    this.syncContext = controller.syncContext();
    this.calls = controller.calls();
    this.interceptedChannel = ClientInterceptor.intercept(calls, options.interceptors());
  }

  @Override
  public <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(callOptions, "callOptions");
    return interceptedChannel.newStream(
        method, ChannelCalls.withChannelDefaults(callOptions, options));
  }

  @Override
  public String authority() {
    return calls.authority();
  }

  @Override
  public String target() {
    return targetString;
  }

  /** The parsed target: scheme, authority, endpoint. */
  Target parsedTarget() {
    return target;
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
    if (syncContext.isInContext()) {
      throw new IllegalStateException("waitForStateChange would block the channel's serializer");
    }
    CountDownLatch changed = new CountDownLatch(1);
    notifyWhenStateChanged(source, changed::countDown, Runnable::run);
    return changed.await(timeout, unit);
  }

  @Override
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback,
      Executor executor) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(executor, "executor");
    syncContext.execute(() -> stateManager.notifyWhenStateChanged(source, callback, executor));
  }

  @Override
  public void connect() {
    if (!shutdown.get()) {
      controller.exitIdle();
    }
  }

  @Override
  public void close() {
    if (!shutdown.compareAndSet(false, true)) {
      return;
    }
    LiveChannels.remove(this);
    calls.close();
    controller.shutdown();
  }

  @Override
  public boolean isShutdown() {
    return shutdown.get();
  }

  @Override
  public boolean isTerminated() {
    return controller.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return controller.terminatedLatch().await(timeout, unit);
  }

  /** A snapshot of the providers this channel uses and why; see {@link ChannelWiring}. */
  @Override
  public ChannelWiring describeWiring() {
    return controller.describeWiring();
  }

  /**
   * Replaces the service config; see {@link ClientConn#updateServiceConfig}.
   *
   * @throws IllegalArgumentException when {@code serviceConfigJson} is invalid
   * @throws IllegalStateException when the channel is closed
   */
  @Override
  public void updateServiceConfig(String serviceConfigJson) {
    if (shutdown.get()) {
      throw new IllegalStateException("channel to '" + targetString + "' is closed");
    }
    controller.updateServiceConfig(serviceConfigJson);
  }

  /** The error explaining TRANSIENT_FAILURE, or null: for blocking dials. */
  Status lastError() {
    return controller.lastError();
  }

  /** Queued calls, for tests. */
  int queuedCallCount() {
    return controller.queuedCallCount();
  }

  SynchronizationContext syncContext() {
    return syncContext;
  }

  @Override
  public String toString() {
    return "ClientConn{target=" + targetString + ", state=" + stateManager.state() + "}";
  }
}
