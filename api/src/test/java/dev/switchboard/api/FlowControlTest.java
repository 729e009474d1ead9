package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** FlowControl: defaults, validation, where it is set. */
class FlowControlTest {
  @Test
  void defaultsAreOneMebibyteAutoTunedToSixteen() {
    FlowControl f = FlowControl.DEFAULT;
    assertEquals(1 << 20, f.initialStreamWindow());
    assertEquals(1 << 20, f.initialConnectionWindow());
    assertTrue(f.autoTune());
    assertEquals(16 << 20, f.maxWindow());
    assertEquals(f, DialOptions.newBuilder().insecure().build().flowControl());
    assertEquals(f, ServerOptions.newBuilder().port(0).insecure().build().flowControl());
  }

  @Test
  void settingsAreKeptAndReachTheOptions() {
    FlowControl f =
        FlowControl.newBuilder()
            .initialStreamWindow(65_535)
            .initialConnectionWindow(Integer.MAX_VALUE)
            .maxWindow(4 << 20)
            .autoTune(false)
            .build();
    assertEquals(65_535, f.initialStreamWindow());
    assertEquals(Integer.MAX_VALUE, f.initialConnectionWindow());
    assertEquals(4 << 20, f.maxWindow());
    assertFalse(f.autoTune());
    assertEquals(f, f.toBuilder().build());
    assertEquals(f.hashCode(), f.toBuilder().build().hashCode());
    assertNotEquals(f, f.toBuilder().autoTune(true).build());
    assertEquals(f, DialOptions.newBuilder().insecure().flowControl(f).build().flowControl());
    assertEquals(
        f,
        DialOptions.newBuilder().insecure().flowControl(f).build().toBuilder()
            .build()
            .flowControl());
    assertEquals(
        f, ServerOptions.newBuilder().port(0).insecure().flowControl(f).build().flowControl());
    assertTrue(f.toString().contains("fixed"), f.toString());
  }

  @Test
  void fixedWindowsDoNotTune() {
    FlowControl f = FlowControl.fixed(8 << 20);
    assertEquals(8 << 20, f.initialStreamWindow());
    assertEquals(8 << 20, f.initialConnectionWindow());
    assertFalse(f.autoTune());
  }

  @Test
  void windowsBelowHttp2sInitialWindowAreRefused() {
    FlowControl.Builder b = FlowControl.newBuilder();
    assertThrows(IllegalArgumentException.class, () -> b.initialStreamWindow(65_534));
    assertThrows(IllegalArgumentException.class, () -> b.initialConnectionWindow(0));
    assertThrows(IllegalArgumentException.class, () -> b.maxWindow(-1));
    assertThrows(IllegalArgumentException.class, () -> FlowControl.fixed(1024));
    assertThrows(NullPointerException.class, () -> DialOptions.newBuilder().flowControl(null));
    assertThrows(NullPointerException.class, () -> ServerOptions.newBuilder().flowControl(null));
  }
}
