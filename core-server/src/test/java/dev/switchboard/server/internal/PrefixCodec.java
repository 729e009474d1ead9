package dev.switchboard.server.internal;

import dev.switchboard.api.Marshaller;
import dev.switchboard.api.spi.Codec;
import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.testing.StringMarshaller;

/** A codec for {@code String} only, using a {@link StringMarshaller} named after the codec. */
final class PrefixCodec implements Codec, CodecProvider {
  private final String name;
  private final StringMarshaller marshaller;

  PrefixCodec(String name) {
    this.name = name;
    this.marshaller = new StringMarshaller(name + ":");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Codec codec() {
    return this;
  }

  @Override
  public boolean supports(Class<?> type) {
    return type == String.class;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Marshaller<T> marshaller(Class<T> type) {
    if (type != String.class) {
      throw new IllegalArgumentException(name + " marshals String only, not " + type);
    }
    return (Marshaller<T>) marshaller;
  }
}
