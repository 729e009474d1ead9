package dev.switchboard.api.spi;

import dev.switchboard.api.transport.ClientTransport;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs client-side health checks (<a
 * href="https://github.com/grpc/proposal/blob/master/A17-client-side-health-checking.md">gRFC
 * A17</a>): when the service config names a {@code healthCheckConfig.serviceName}, the channel asks
 * the provider named {@value #DEFAULT_NAME} to watch that service's health on each READY
 * connection, and reports the connection READY to the balancer only while the backend says it is
 * serving. The {@code health} module implements it with the {@code grpc.health.v1.Health/Watch}
 * method; the core knows nothing of protobuf.
 *
 * <p>Found like every provider: {@code META-INF/services} on the class path, {@code provides} on
 * the module path, a Declarative Services component ({@value #NAME_PROPERTY}) inside OSGi. A
 * channel whose service config asks for health checks and finds no provider logs it once and treats
 * its backends as healthy.
 *
 * <p>Implementations have a public no-arg constructor, are stateless and never throw from {@link
 * #watch}: a failure to start is reported through the listener's {@code watchEnded}.
 *
 * @since 0.3
 */
@ConsumerType
public interface HealthCheckProvider {
  /** Service property carrying the provider's name in OSGi. */
  String NAME_PROPERTY = "healthcheck.name";

  /** The name of the standard {@code grpc.health.v1} health checker, the one channels use. */
  String DEFAULT_NAME = "grpc.health.v1";

  /** {@return the name served, {@value #DEFAULT_NAME} for the standard checker} */
  String name();

  /** {@return the priority among providers of the same name, higher wins; 5 by default} */
  default int priority() {
    return 5;
  }

  /**
   * {@return false when the provider cannot work here (missing dependency, platform); true by
   * default}
   */
  default boolean isAvailable() {
    return true;
  }

  /**
   * Starts watching the health of {@code serviceName} on {@code transport}, a READY connection,
   * with one stream on it, and reports what the backend says to {@code listener} until the stream
   * ends or the watch is cancelled. The stream is not retried: the channel starts a new watch (with
   * backoff) after {@link HealthCheckListener#watchEnded}.
   *
   * @param transport the connection to check, READY; the watch creates one stream on it
   * @param serviceName the service name to ask about ({@code ""}: the whole server)
   * @param listener receives the backend's statuses, from any thread
   * @return the running watch; {@link Watch#cancel()} ends it
   */
  Watch watch(ClientTransport transport, String serviceName, HealthCheckListener listener);

  /**
   * A running health watch, owned by the channel that started it.
   *
   * @since 0.3
   */
  @ConsumerType
  interface Watch {
    /**
     * Cancels the stream; the listener hears nothing more (or at most an event already on its way,
     * which the channel ignores). Idempotent.
     */
    void cancel();
  }
}
