package dev.switchboard.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Proves that the protoc-based tests (golden files included) cannot go quietly green: a build
 * setting they need that is missing fails them instead of skipping them.
 */
class BuildSettingsSelfTest {
  @Test
  void aMissingBuildSettingFailsRatherThanSkips() {
    IllegalStateException failure =
        assertThrows(
            IllegalStateException.class, () -> Protoc.property("switchboard.no.such.setting"));
    assertTrue(
        failure.getMessage().contains("-Dswitchboard.no.such.setting"), failure.getMessage());
  }

  @Test
  void theBuildSetsEverySettingTheTestsRead() {
    for (String name :
        new String[] {"protoc.path", "proto.dir", "golden.dir", "usage.dir", "work.dir"}) {
      assertEquals(System.getProperty(name), Protoc.property(name));
    }
  }
}
