package dev.switchboard.api.spi;

import dev.switchboard.api.Marshaller;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Serializes messages for one content-subtype ({@code proto} → {@code application/grpc+proto}).
 * Thread-safe.
 *
 * @since 0.1
 */
@ConsumerType
public interface Codec {
  /** The content-subtype name. */
  String name();

  /** True when this codec can marshal instances of {@code type}. */
  boolean supports(Class<?> type);

  /**
   * A marshaller for {@code type}; implementations cache them, so calling this per call is cheap.
   *
   * @throws IllegalArgumentException when {@code type} is not supported
   */
  <T> Marshaller<T> marshaller(Class<T> type);
}
