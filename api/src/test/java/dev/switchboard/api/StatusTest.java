package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatusTest {
  @Test
  void seventeenCodesWithWireValues() {
    assertEquals(17, Status.Code.values().length);
    for (Status.Code c : Status.Code.values()) {
      assertSame(c, Status.fromCodeValue(c.value()).getCode());
    }
    assertEquals(14, Status.Code.UNAVAILABLE.value());
    assertEquals(16, Status.Code.UNAUTHENTICATED.value());
  }

  @Test
  void codeFirstClassInitializationStillWorks() throws Exception {
    // A fresh class loader that touches Status.Code before Status.
    var url = Status.class.getProtectionDomain().getCodeSource().getLocation();
    try (var loader = new java.net.URLClassLoader(new java.net.URL[] {url}, null)) {
      Class<?> code = Class.forName("dev.switchboard.api.Status$Code", true, loader);
      Object unavailable = code.getMethod("valueOf", String.class).invoke(null, "UNAVAILABLE");
      Object status = code.getMethod("toStatus").invoke(unavailable);
      assertEquals("Status{code=UNAVAILABLE}", status.toString());
    }
  }

  @Test
  void unknownWireValueIsUnknownWithDescription() {
    Status s = Status.fromCodeValue(42);
    assertEquals(Status.Code.UNKNOWN, s.getCode());
    assertTrue(s.getDescription().contains("42"));
    assertEquals(Status.Code.UNKNOWN, Status.fromCodeValue(-1).getCode());
  }

  @Test
  void fromThrowableFindsNestedStatus() {
    Status s = Status.NOT_FOUND.withDescription("nope");
    Exception wrapped = new RuntimeException(new IllegalStateException(s.asException()));
    assertEquals(s, Status.fromThrowable(wrapped));
    Status unknown = Status.fromThrowable(new IllegalStateException("x"));
    assertEquals(Status.Code.UNKNOWN, unknown.getCode());
  }

  @Test
  void augmentAndExceptionMessages() {
    Status s = Status.INTERNAL.withDescription("a").augmentDescription("b");
    assertEquals("a\nb", s.getDescription());
    assertEquals("INTERNAL: a\nb", s.asRuntimeException().getMessage());
    assertEquals("CANCELLED", Status.CANCELLED.asException().getMessage());
    Metadata trailers = new Metadata().put("k", "v");
    assertSame(trailers, s.asException(trailers).getTrailers());
  }
}
