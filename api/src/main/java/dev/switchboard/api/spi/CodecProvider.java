package dev.switchboard.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Supplies a {@link Codec}. Registered in the {@link CodecRegistry} like the other providers, with
 * property {@value #NAME_PROPERTY} in OSGi. Public no-arg constructor, cheap, never throws from the
 * descriptive methods.
 *
 * @since 0.1
 */
@ConsumerType
public interface CodecProvider {
  String NAME_PROPERTY = "codec.name";

  /** The content-subtype name ({@code proto}). */
  String name();

  default int priority() {
    return 5;
  }

  default boolean isAvailable() {
    return true;
  }

  /** The codec; may be a shared instance. */
  Codec codec();
}
