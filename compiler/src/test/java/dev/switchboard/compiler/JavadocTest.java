package dev.switchboard.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JavadocTest {
  @Test
  void escapesWhatJavacAndJavadocWouldInterpret() {
    assertEquals("a *&#47; b", Javadoc.escape("a */ b"));
    assertEquals("/* fine", Javadoc.escape("/* fine"));
    assertEquals("&#64;param {&#64;link X}", Javadoc.escape("@param {@link X}"));
    assertEquals("&lt;b&gt; &amp;amp;", Javadoc.escape("<b> &amp;"));
    assertEquals("&#92;u000a", Javadoc.escape("\\u000a"));
    assertEquals("  &#42; item, a*b", Javadoc.escape("  * item, a*b"));
  }

  @Test
  void preformattedRemovesCommonIndentAndBlankEdges() {
    assertEquals(
        List.of("<pre>", "First line.", "", "  indented", "</pre>"),
        Javadoc.preformatted("\n First line.\n\n   indented\n\n"));
  }

  @Test
  void preformattedHandlesCarriageReturnsAndControlCharacters() {
    assertEquals(
        List.of("<pre>", "one", "two  three", "</pre>"),
        Javadoc.preformatted(" one\r\n two\tthree\u0007\r"));
  }

  @Test
  void blankCommentMakesNoBlock() {
    assertTrue(Javadoc.preformatted("  \n \n").isEmpty());
  }
}
