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
  String NAME_PROPERTY = "compressor.name";

  String name();

  default int priority() {
    return 5;
  }

  default boolean isAvailable() {
    return true;
  }

  Compressor compressor();
}
