package dev.switchboard.api.transport;

import dev.switchboard.api.TransportCredentials;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Supplies client and server transports under a name ({@code netty}). Registered in the {@link
 * TransportRegistry}: {@code META-INF/services} and {@code provides} outside OSGi, a Declarative
 * Services component with property {@value #NAME_PROPERTY} inside. Public no-arg constructor; cheap
 * and never throwing in its descriptive methods. Shared resources (event loops) are created lazily
 * and released by closing the factories and server transports made from them.
 *
 * @since 0.1
 */
@ConsumerType
public interface TransportProvider {
  /** Service property carrying the transport name in OSGi. */
  String NAME_PROPERTY = "transport.name";

  /** {@return the transport name that dial and server options refer to, such as {@code netty}} */
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
   * {@return whether this transport can secure connections with {@code credentials}} Which kinds of
   * {@link TransportCredentials} a transport understands is its own choice (a third party may add
   * kinds and transports for them); the factory methods refuse the others with an {@link
   * IllegalArgumentException} naming the kind. A channel passes the transport part of {@link
   * dev.switchboard.api.CompositeCredentials}, never the composite. Only {@link
   * TransportCredentials#insecure()} by default.
   *
   * @param credentials the credentials, not null
   * @since 0.3
   */
  default boolean supportsCredentials(TransportCredentials credentials) {
    return credentials.isInsecure();
  }

  /**
   * A factory for client connections secured by {@code credentials}.
   *
   * @param credentials how the channel's connections are secured
   * @return a new factory, for one channel
   * @throws IllegalArgumentException when the credentials are not supported by this transport
   */
  ClientTransportFactory newClientTransportFactory(TransportCredentials credentials);

  /**
   * A server transport listening on {@code options}' addresses once started.
   *
   * @param options addresses, credentials and limits
   * @return a new, unstarted server transport
   * @throws IllegalArgumentException when the options are not supported by this transport
   */
  ServerTransport newServerTransport(ServerTransportOptions options);
}
