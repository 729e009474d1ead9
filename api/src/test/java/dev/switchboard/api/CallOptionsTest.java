package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class CallOptionsTest {
  private static final CallOptions.Key<String> TAG = CallOptions.Key.create("tag", "none");
  private static final CallOptions.Key<String> OTHER = CallOptions.Key.create("other", "none");

  private final CallOptions channelDefaults =
      CallOptions.DEFAULT
          .withMaxInboundMessageSize(1000)
          .withMaxOutboundMessageSize(2000)
          .withCompression("gzip")
          .withOption(TAG, "channel");

  @Test
  void optionsSetHereWinAndTheRestComeFromTheDefaults() {
    Executor executor = Runnable::run;
    CallOptions merged =
        CallOptions.DEFAULT
            .withMaxInboundMessageSize(10)
            .withExecutor(executor)
            .withOption(OTHER, "call")
            .withDefaults(channelDefaults);
    assertEquals(10, merged.getMaxInboundMessageSize());
    assertEquals(2000, merged.getMaxOutboundMessageSize());
    assertEquals("gzip", merged.getCompressorName());
    assertSame(executor, merged.getExecutor());
    assertEquals("channel", merged.getOption(TAG));
    assertEquals("call", merged.getOption(OTHER));
  }

  @Test
  void optionsThatSetNothingAreTheDefaultsThemselves() {
    assertSame(channelDefaults, CallOptions.DEFAULT.withDefaults(channelDefaults));
  }

  @Test
  void optionsThatLackNothingAreNotCopied() {
    CallOptions merged = CallOptions.DEFAULT.withWaitForReady().withDefaults(channelDefaults);
    assertNotSame(channelDefaults, merged);
    assertSame(merged, merged.withDefaults(channelDefaults), "merged twice: no copy");
    assertTrue(merged.isWaitForReady());
  }

  @Test
  void aMissingCustomOptionAloneStillMerges() {
    CallOptions all =
        CallOptions.DEFAULT
            .withMaxInboundMessageSize(1)
            .withMaxOutboundMessageSize(2)
            .withCompression("identity");
    CallOptions merged = all.withDefaults(channelDefaults);
    assertNotSame(all, merged);
    assertEquals("channel", merged.getOption(TAG));
    assertEquals("identity", merged.getCompressorName());
  }
}
