package dev.switchboard.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
  @Test
  void parsesEveryValueKind() {
    Object value =
        Json.parse(
            " {\"s\": \"x\", \"n\": -1.5e3, \"i\": 0, \"t\": true, \"f\": false, \"z\": null,"
                + " \"a\": [1, [], {}], \"o\": {\"k\": \"v\"}} ");
    Map<?, ?> map = (Map<?, ?>) value;
    assertEquals("x", map.get("s"));
    assertEquals(-1500.0, map.get("n"));
    assertEquals(0.0, map.get("i"));
    assertEquals(Boolean.TRUE, map.get("t"));
    assertEquals(Boolean.FALSE, map.get("f"));
    assertTrue(map.containsKey("z"));
    assertNull(map.get("z"));
    assertEquals(List.of(1.0, List.of(), Map.of()), map.get("a"));
    assertEquals(Map.of("k", "v"), map.get("o"));
    assertEquals(List.of("s", "n", "i", "t", "f", "z", "a", "o"), List.copyOf(map.keySet()));
  }

  @Test
  void parsesScalarsAtTheTop() {
    assertEquals("a", Json.parse("\"a\""));
    assertEquals(12.25, Json.parse("12.25"));
    assertNull(Json.parse(" null "));
    assertEquals(Arrays.asList(null, true), Json.parse("[null,true]"));
  }

  @Test
  void decodesEscapes() {
    assertEquals(
        "q\"b\\s/\b\f\n\r\té😀",
        Json.parse("\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
  }

  @Test
  void resultIsUnmodifiable() {
    Map<?, ?> map = (Map<?, ?>) Json.parse("{\"a\":[1]}");
    assertThrows(UnsupportedOperationException.class, map::clear);
    assertThrows(UnsupportedOperationException.class, () -> ((List<?>) map.get("a")).clear());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''| line 1, column 1: unexpected end of input, expected a value",
        "{| line 1, column 2: unexpected end of input, expected a string object key",
        "{\"a\":}| line 1, column 6: unexpected character '}', expected a value",
        "{\"a\" 1}| line 1, column 6: unexpected character '1', expected ':' after object key \"a\"",
        "{\"a\":1,}| line 1, column 8: unexpected character '}', expected a string object key",
        "[1,]| line 1, column 4: unexpected character ']', expected a value",
        "[1 2]| line 1, column 4: unexpected character '2', expected ',' or ']' in array",
        "{\"a\":1 \"b\":2}| line 1, column 8: unexpected character '\"', expected ',' or '}' in object",
        "{\"a\":1,\"a\":2}| line 1, column 8: duplicate object key \"a\"",
        "\"abc| line 1, column 1: unterminated string",
        "\"\\x\"| line 1, column 3: invalid escape '\\x'",
        "\"\\u12g4\"| line 1, column 6: invalid hex digit 'g' in \\u escape",
        "01| line 1, column 2: unexpected character '1' after the JSON value",
        "-| line 1, column 2: invalid number: expected a digit",
        "1.| line 1, column 3: invalid number: expected a digit after '.'",
        "1e| line 1, column 3: invalid number: expected a digit in the exponent",
        "tru| line 1, column 1: unexpected character 't', expected a value",
        "nul| line 1, column 1: unexpected character 'n', expected a value",
        "{} x| line 1, column 4: unexpected character 'x' after the JSON value",
      })
  void reportsWhereAndWhat(String json, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Json.parse(json));
    assertEquals("invalid JSON at " + message, e.getMessage());
  }

  @Test
  void countsLinesAndColumns() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2\n}"));
    assertEquals(
        "invalid JSON at line 3, column 7: unexpected character '2', expected ':' after "
            + "object key \"b\"",
        e.getMessage());
  }

  @Test
  void refusesControlCharactersInStrings() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"a\tb\""));
    assertTrue(e.getMessage().contains("control character U+0009"), e.getMessage());
  }

  @Test
  void limitsNesting() {
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
    assertTrue(e.getMessage().contains("nesting deeper than"), e.getMessage());
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    Json.parse(ok);
  }

  @Test
  void writesWhatItReads() {
    String json = "{\"a\":[1,2.5,true,null,\"x\\\"y\\\\z\\n\"],\"b\":{\"c\":\"\\u0001\"}}";
    assertEquals(json, Json.write(Json.parse(json)));
    assertEquals(Json.parse(json), Json.parse(Json.write(Json.parse(json))));
  }

  @Test
  void refusesWhatIsNoJson() {
    assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
  }
}
