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
  /** {@return the content-subtype name, such as {@code proto}} */
  String name();

  /**
   * {@return whether this codec can marshal instances of {@code type}}
   *
   * @param type a message class
   */
  boolean supports(Class<?> type);

  /**
   * A marshaller for {@code type}; implementations cache them, so calling this per call is cheap.
   *
   * @param type a supported message class
   * @param <T> the message type
   * @return a thread-safe marshaller
   * @throws IllegalArgumentException when {@code type} is not supported
   */
  <T> Marshaller<T> marshaller(Class<T> type);
}
