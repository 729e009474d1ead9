package dev.switchboard.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Supplies a {@link Compressor}. {@code gzip} and {@code identity} are built in; others register
 * like any provider ({@value #NAME_PROPERTY} in OSGi).
 *
 * @since 0.1
 */
@ConsumerType
public interface CompressorProvider {
  /** Service property carrying the compressor name in OSGi. */
  String NAME_PROPERTY = "compressor.name";

  /** {@return the {@code grpc-encoding} name served} */
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

  /** {@return the compressor; may be a shared instance} */
  Compressor compressor();
}
