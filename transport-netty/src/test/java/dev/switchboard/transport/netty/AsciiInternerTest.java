package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

class AsciiInternerTest {
  private final AsciiInterner interner = new AsciiInterner(16);

  @Test
  void stringsAreConvertedOnceAndAsciiStringsPassThrough() {
    AsciiString first = interner.intern(new String("example.test:443"));
    assertEquals("example.test:443", first.toString());
    assertSame(first, interner.intern(new String("example.test:443")));
    AsciiString given = AsciiString.of("x-given");
    assertSame(given, interner.intern(given));
    assertSame(given, AsciiInterner.convert(given));
  }

  @Test
  void pathsGetTheirSlashOnce() {
    AsciiString path = interner.path("pkg.Service/Method");
    assertEquals("/pkg.Service/Method", path.toString());
    assertSame(path, interner.path(new String("pkg.Service/Method")));
  }

  @Test
  void perCallValuesAreNeverKept() {
    assertNotSame(AsciiInterner.convert("100m"), AsciiInterner.convert("100m"));
  }

  @Test
  void pastItsBoundValuesAreStillRightButNoLongerKept() {
    for (int i = 0; i < 16; i++) {
      interner.path("filler.Service/M" + i);
    }
    String late = "late.Service/Method";
    AsciiString once = interner.path(late);
    AsciiString again = interner.path(late);
    assertEquals("/" + late, once.toString());
    assertEquals(once, again);
    assertNotSame(once, again, "the map is full: converted per call");
  }
}
