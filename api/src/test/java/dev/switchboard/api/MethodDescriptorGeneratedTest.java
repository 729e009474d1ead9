package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MethodDescriptorGeneratedTest {
  @Test
  void handBuiltDescriptorsAreNotGeneratedAndTheMarkSurvivesToBuilder() {
    MethodDescriptor<String, String> plain =
        MethodDescriptor.of("a.B/C", MethodType.UNARY, String.class, String.class);
    assertFalse(plain.isGenerated());
    MethodDescriptor<String, String> generated = plain.toBuilder().setGenerated(true).build();
    assertTrue(generated.isGenerated());
    assertTrue(generated.toBuilder().build().isGenerated());
  }
}
