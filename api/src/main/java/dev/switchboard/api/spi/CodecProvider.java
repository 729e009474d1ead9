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
  /** Service property carrying the codec name in OSGi. */
  String NAME_PROPERTY = "codec.name";

  /** {@return the content-subtype name ({@code proto})} */
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

  /** {@return the codec; may be a shared instance} */
  Codec codec();
}
