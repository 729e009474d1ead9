package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataTest {
  @Test
  void multipleValuesKeepOrderAndGetReturnsLast() {
    Metadata md = new Metadata().put("x-a", "1").put("x-b", "2").put("x-a", "3");
    assertEquals(List.of("1", "3"), md.getAll("x-a"));
    assertEquals("3", md.get("x-a"));
    assertEquals(3, md.size());
    assertEquals(List.of("x-a", "x-b"), List.copyOf(md.keys()));
  }

  @Test
  void binaryValuesNeedBinKeys() {
    byte[] v = {1, 2, 3};
    Metadata md = new Metadata().putBinary("trace-bin", v);
    assertArrayEquals(v, md.getBinary("trace-bin"));
    assertNull(md.get("trace-bin"));
    assertThrows(IllegalArgumentException.class, () -> md.putBinary("trace", v));
    assertThrows(IllegalArgumentException.class, () -> md.put("trace-bin", "x"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"grpc-status", "grpc-foo", "content-type", "te", "Upper", "sp ace", "", "k:ey"})
  void refusesReservedOrInvalidKeys(String key) {
    assertThrows(IllegalArgumentException.class, () -> new Metadata().put(key, "v"));
  }

  @Test
  void refusesNonAsciiValues() {
    assertThrows(IllegalArgumentException.class, () -> new Metadata().put("k", "caf\u00e9"));
    assertThrows(IllegalArgumentException.class, () -> new Metadata().put("k", "a\nb"));
  }

  @Test
  void receivedValuesSkipReservationButCheckSyntax() {
    Metadata md = new Metadata().putReceived("grpc-x", "ok").putReceived("a-bin", new byte[] {9});
    assertEquals("ok", md.get("grpc-x"));
    assertThrows(IllegalArgumentException.class, () -> md.putReceived("a-bin", "str"));
    assertThrows(IllegalArgumentException.class, () -> md.putReceived("A", "x"));
  }

  @Test
  void removeAllAndMergeAndCopy() {
    Metadata md = new Metadata().put("a", "1").put("b", "2").put("a", "3");
    assertTrue(md.removeAll("a"));
    assertFalse(md.removeAll("a"));
    assertEquals(1, md.size());
    Metadata other = new Metadata(md).merge(new Metadata().put("c", "4"));
    assertEquals("4", other.get("c"));
    assertNull(md.get("c"));
    assertEquals("b", other.keyAt(0));
    assertEquals("2", other.valueAt(0));
  }
}
