package dev.switchboard.api;

import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A virtual connection to a logical target ({@code scheme://authority/endpoint}): grpc-go's {@code
 * ClientConn}. It resolves the target into addresses, lets a balancer keep connections ({@code
 * SubConn}s) to them and picks one for each call. Thread-safe; share one per target.
 *
 * <p>Lifecycle: created IDLE; the first call or {@link #connect()} starts resolution and
 * connecting. {@link #close()} fails in-flight and new calls with CANCELLED and releases
 * connections; the state becomes SHUTDOWN.
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
   * IDLE or is closed; does not block. Calls do the same on their own.
   */
  void connect();

  /**
   * Shuts the channel down: in-flight and queued calls end CANCELLED ("channel is closing"), new
   * calls fail the same way, connections close. Idempotent; does not block.
   */
  @Override
  void close();

  /** {@return whether {@link #close()} has been called} */
  boolean isShutdown();

  /** {@return whether the channel is closed and every connection and call has terminated} */
  boolean isTerminated();

  /**
   * Waits until the channel has terminated after {@link #close()}.
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
   * before {@link #close()}, including while IDLE (it applies on the first resolution).
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
   * @throws IllegalStateException when the channel is closed
   * @since 0.2
   */
  void updateServiceConfig(String serviceConfigJson);
}
