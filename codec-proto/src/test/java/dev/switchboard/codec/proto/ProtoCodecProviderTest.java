package dev.switchboard.codec.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.api.spi.CodecRegistry;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ProtoCodecProviderTest {
  @Test
  void describesItselfAndSharesOneCodec() {
    ProtoCodecProvider provider = new ProtoCodecProvider();
    assertEquals("proto", provider.name());
    assertTrue(provider.isAvailable());
    assertEquals("proto", provider.codec().name());
    assertSame(provider.codec(), new ProtoCodecProvider().codec());
  }

  @Test
  void serviceLoaderFindsItOnTheClassPath() {
    assertTrue(
        ServiceLoader.load(CodecProvider.class).stream()
            .anyMatch(p -> p.type() == ProtoCodecProvider.class));
  }

  @Test
  void defaultRegistryServesItByName() {
    assertInstanceOf(ProtoCodecProvider.class, CodecRegistry.getDefaultRegistry().lookup("proto"));
  }
}
