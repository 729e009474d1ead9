package dev.switchboard.api;

import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A virtual connection to a logical target ({@code scheme://authority/endpoint}): grpc-go's {@code
 * ClientConn}. It resolves the target into addresses, lets a balancer keep connections ({@code
 * SubConn}s) to them and picks one for each call. Thread-safe; share one per target.
 *
 * <p>Lifecycle: created IDLE; the first call or {@link #connect()} starts resolution and
 * connecting. After {@link DialOptions#idleTimeout()} without calls (30 min by default), or on
 * {@link #enterIdle()}, it goes IDLE again: resolver, balancer and connections are closed, and the
 * next call creates them anew. {@link #shutdown()} refuses new calls and lets the ones in flight
 * finish before closing the connections; {@link #shutdownNow()} (and {@link #close()}, the same)
 * also cancels the calls in flight. Either way the state becomes SHUTDOWN, and {@link
 * #awaitTermination} waits until every call and connection is gone.
 *
 * <p>Create with {@code dev.switchboard.clientconn.ClientConns.newClient(target, dialOptions)}.
 *
 * @since 0.1
 */
@ProviderType
public interface ClientConn extends Channel, AutoCloseable {
  /** {@return the target string this channel was created with, as given} */
  String target();

  /**
   * {@return the channel's aggregate connectivity state, as its balancer reports it}
   *
   * @param connect when true and the channel is IDLE, also leaves IDLE as {@link #connect()} does;
   *     the state returned is still the one before
   */
  ConnectivityState getState(boolean connect);

  /**
   * Blocks until the state differs from {@code source} or the timeout elapses. Must not be called
   * from the channel's own callbacks (balancer, resolver), which run in its serializer.
   *
   * @param source the state the caller last saw, usually from {@link #getState(boolean)}
   * @param timeout the longest wait
   * @param unit the unit of {@code timeout}
   * @return true when the state changed, false on timeout
   * @throws InterruptedException when the thread is interrupted while waiting
   * @throws IllegalStateException when called in the channel's serializer
   */
  boolean waitForStateChange(ConnectivityState source, long timeout, TimeUnit unit)
      throws InterruptedException;

  /**
   * Registers a one-shot callback, run on {@code executor} once the state differs from {@code
   * source} (immediately when it already does). Does not block.
   *
   * @param source the state the caller last saw, not null
   * @param callback what to run, not null; it is run at most once
   * @param executor where to run it, not null; {@code Runnable::run} runs it in the channel's
   *     serializer, where it must not block
   */
  void notifyWhenStateChanged(
      ConnectivityState source, Runnable callback, java.util.concurrent.Executor executor);

  /**
   * Leaves IDLE: starts resolving the target and connecting. Does nothing when the channel is not
   * IDLE or is shut down; does not block. Calls do the same on their own.
   */
  void connect();

  /**
   * Goes IDLE now, as after the idle timeout: closes the resolver and the balancer, whose
   * connections then close gracefully. Calls already running on a connection finish there; calls
   * waiting for a connection (and any new call) wake the channel at once, with a new resolver and
   * balancer. Useful after a network change. Does nothing when the channel is IDLE already or shut
   * down; does not block.
   *
   * @since 0.3
   */
  void enterIdle();

  /**
   * Ends the connection backoff: connections waiting to retry after a failure (TRANSIENT_FAILURE)
   * try again now, with their backoff started over, and a resolver waiting to retry resolves now.
   * Does not block.
   *
   * @since 0.3
   */
  void resetConnectBackoff();

  /**
   * Shuts the channel down gracefully: new calls fail at once with UNAVAILABLE ("channel is shut
   * down"), while calls already started, including those still waiting for a connection, go on and
   * finish, the resolver and balancer serving them; then the connections close gracefully. The
   * state becomes SHUTDOWN at once. Idempotent; does not block: {@link #awaitTermination} waits for
   * the end.
   *
   * @since 0.3
   */
  void shutdown();

  /**
   * Shuts the channel down now: calls in flight and waiting for a connection end CANCELLED
   * ("channel is closing"), new calls fail the same way, and connections close at once. Also
   * completes an earlier {@link #shutdown()}. Idempotent; does not block.
   *
   * @since 0.3
   */
  void shutdownNow();

  /**
   * The same as {@link #shutdownNow()}: cancels the calls in flight. Closing is what
   * try-with-resources does when the block ends, when the calls made in it are normally done; an
   * application that wants calls still running to finish calls {@link #shutdown()} and {@link
   * #awaitTermination} instead.
   */
  @Override
  void close();

  /**
   * {@return whether {@link #shutdown()}, {@link #shutdownNow()} or {@link #close()} has been
   * called}
   */
  boolean isShutdown();

  /** {@return whether the channel is shut down and every connection and call has terminated} */
  boolean isTerminated();

  /**
   * Waits until the channel has terminated after {@link #shutdown()}, {@link #shutdownNow()} or
   * {@link #close()}.
   *
   * @param timeout the longest wait
   * @param unit the unit of {@code timeout}
   * @return true when terminated, false when the timeout elapsed first
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Which providers this channel is wired to (resolver, balancers, transport, codecs), their
   * origins and why each was chosen: a consistent, immutable snapshot. Thread-safe, never blocks;
   * cheap enough for a status page, not meant for every call.
   *
   * @return the wiring as of now
   * @since 0.2
   */
  ChannelWiring describeWiring();

  /**
   * Replaces this channel's service config (today: its {@code loadBalancingConfig} or {@code
   * loadBalancingPolicy}) with {@code serviceConfigJson}, which then takes precedence over the
   * resolver's and the dial options' default; {@code null} goes back to them. Works at any time
   * before the channel is shut down, including while IDLE (it applies on the first resolution).
   *
   * <p>A different policy is switched to gracefully: the current balancer's picker keeps serving
   * until the new balancer is READY (or the current one stops being READY), then the old balancer
   * and its connections are closed; calls do not fail because of the switch. The first listed
   * policy that is deployed is used; when none is, the channel keeps its current balancer and
   * switches once one is deployed. {@link #describeWiring()} shows the outcome.
   *
   * <p>Returns without waiting for the switch. Idempotent for an unchanged config.
   *
   * @param serviceConfigJson the service config, or {@code null} to go back to the resolver's or
   *     the default one
   * @throws IllegalArgumentException when the JSON is malformed, is not an object, has a malformed
   *     {@code loadBalancingConfig}, or a deployed listed policy rejects its config
   * @throws IllegalStateException when the channel is shut down
   * @since 0.2
   */
  void updateServiceConfig(String serviceConfigJson);

  /**
   * Replaces the default service config, the one the channel was created with ({@link
   * DialOptions.Builder#defaultServiceConfig(String)}): it is used while no config is set by {@link
   * #updateServiceConfig} and the resolver supplies none (or its configs are ignored, {@link
   * DialOptions.Builder#disableServiceConfigLookup()}); {@code null} removes it (policy {@code
   * pick_first}). For channels whose settings live in configuration that changes while they run.
   *
   * <p>When the default is the config in force, a different policy is switched to gracefully, as
   * with {@link #updateServiceConfig} (calls do not fail because of the switch), and its method
   * settings apply to the calls started once the channel has adopted it; otherwise the new default
   * waits until it is in force. Works while IDLE too. Returns without waiting for the switch.
   * Idempotent for an unchanged config.
   *
   * @param serviceConfigJson the new default service config, or {@code null} for none
   * @throws IllegalArgumentException as {@link #updateServiceConfig} does for an invalid config
   * @throws IllegalStateException when the channel is shut down
   * @since 0.3
   */
  void updateDefaultServiceConfig(String serviceConfigJson);
}
