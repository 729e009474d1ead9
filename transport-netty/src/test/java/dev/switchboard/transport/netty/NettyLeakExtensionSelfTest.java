package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.NettyLeakExtension;
import dev.switchboard.testing.UncaughtErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Proves the leak guard every test here relies on can fail: a buffer dropped without release makes
 * {@link NettyLeakExtension#afterEach} throw.
 */
class NettyLeakExtensionSelfTest {
  @Test
  void droppedBufferIsReportedAsLeak() {
    NettyLeakExtension extension = new NettyLeakExtension();
    ExtensionContext context = fakeContext("deliberate leak");
    extension.beforeAll(context);
    AssertionError error = null;
    // GC is not guaranteed to collect on the first request; give it a few rounds.
    for (int attempt = 0; attempt < 5 && error == null; attempt++) {
      leakOneBuffer(attempt);
      try {
        extension.afterEach(context);
      } catch (AssertionError e) {
        error = e;
      }
    }
    assertTrue(error != null, "the extension did not report a leaked buffer");
    assertTrue(error.getMessage().contains("LEAK"), error.getMessage());
    // Netty logs the leak at ERROR too, which the uncaught-error guard collects: expected here.
    assertTrue(UncaughtErrors.takeMessages().stream().anyMatch(m -> m.contains("LEAK")));
    // And it is quiet again once the report was consumed.
    extension.afterEach(context);
  }

  @Test
  void releasedBufferIsNotALeak() {
    NettyLeakExtension extension = new NettyLeakExtension();
    ExtensionContext context = fakeContext("no leak");
    extension.beforeAll(context);
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(64);
    buf.writeLong(42);
    buf.release();
    extension.afterEach(context); // does not throw
  }

  private static void leakOneBuffer(int attempt) {
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(128);
    buf.writeInt(attempt);
    buf.touch("deliberately leaked by NettyLeakExtensionSelfTest");
    // dropped without release()
  }

  private static ExtensionContext fakeContext(String name) {
    return (ExtensionContext)
        Proxy.newProxyInstance(
            NettyLeakExtensionSelfTest.class.getClassLoader(),
            new Class<?>[] {ExtensionContext.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getDisplayName")) {
                return name;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
