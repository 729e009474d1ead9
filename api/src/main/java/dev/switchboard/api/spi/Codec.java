package dev.switchboard.api.spi;

import dev.switchboard.api.Marshaller;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Serializes messages for one content-subtype ({@code proto} → {@code application/grpc+proto}).
 *
 * <p>Implemented by codec plugins (codec-proto) and handed out by their {@link CodecProvider}. Used
 * by both cores: a client call whose method descriptor has no marshallers of its own looks the
 * codec up by {@link dev.switchboard.api.MethodDescriptor#getCodecName()} and asks it for a request
 * and a response marshaller; a server call does the same with the content-subtype the client sent.
 * Both lease the provider for the call (see {@link ProviderRegistry}).
 *
 * <p>Threading: called from any thread, concurrently (once per call, on the thread starting it), so
 * implementations are thread-safe and cheap: cache marshallers per class. A class the codec cannot
 * handle is answered by {@link #supports} returning false and by {@link #marshaller} throwing
 * {@link IllegalArgumentException} whose message says why; the cores put that message into the
 * INTERNAL status the call fails with.
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
   * The marshaller is used from any thread, concurrently.
   *
   * @param type a supported message class
   * @param <T> the message type
   * @return a thread-safe marshaller
   * @throws IllegalArgumentException when {@code type} is not supported, with the reason as its
   *     message (for instance a message package not exported to the codec's module)
   */
  <T> Marshaller<T> marshaller(Class<T> type);
}
