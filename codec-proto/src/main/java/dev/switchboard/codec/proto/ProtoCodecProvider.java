package dev.switchboard.codec.proto;

import dev.switchboard.api.spi.Codec;
import dev.switchboard.api.spi.CodecProvider;
import org.osgi.service.component.annotations.Component;

/**
 * Supplies the {@code proto} codec for protobuf-java messages, the default codec of every method
 * that names none.
 *
 * <p>Found through {@code META-INF/services} on the class path, {@code provides} on the module path
 * and as a Declarative Services component inside OSGi. Stateless; all instances hand out the same
 * thread-safe {@link Codec}.
 *
 * @since 0.1
 */
@Component(
    service = CodecProvider.class,
    property = CodecProvider.NAME_PROPERTY + "=" + ProtoCodec.NAME)
public final class ProtoCodecProvider implements CodecProvider {
  /**
   * Public no-arg constructor for ServiceLoader and DS; does nothing.
   *
   * @since 0.1
   */
  public ProtoCodecProvider() {}

  @Override
  public String name() {
    return ProtoCodec.NAME;
  }

  @Override
  public Codec codec() {
    return ProtoCodec.INSTANCE;
  }

  @Override
  public String toString() {
    return "ProtoCodecProvider";
  }
}
