package dev.switchboard.api.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) reader and writer for service configs, for the core and for
 * resolvers that deliver a service config (such as {@code dns} from TXT records). Values are {@code
 * Map<String, Object>} (insertion-ordered, unmodifiable), {@code List<Object>} (unmodifiable),
 * {@code String}, {@code Double}, {@code Boolean} or {@code null}, which is the shape {@link
 * BalancerProvider#parseConfig} receives.
 *
 * <p>Parse errors throw {@link IllegalArgumentException} naming the line, column and what was
 * expected. Duplicate object keys are refused (the config would be ambiguous), as is nesting deeper
 * than {@value #MAX_DEPTH}. Thread-safe: each parse uses its own instance.
 *
 * @since 0.3
 */
public final class Json {
  /** The deepest nesting of objects and arrays accepted. */
  public static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;
  private int depth;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON value filling the whole text (surrounding white space allowed).
   *
   * @param json the text
   * @return the value, in the shapes the class comment lists
   * @throws IllegalArgumentException naming where and what is wrong
   */
  public static Object parse(String json) {
    Json p = new Json(json);
    Object value = p.readValue();
    p.skipWhitespace();
    if (p.pos < json.length()) {
      throw p.error("unexpected " + p.describeHere() + " after the JSON value");
    }
    return value;
  }

  private Object readValue() {
    skipWhitespace();
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return readObject();
      case '[':
        return readArray();
      case '"':
        return readString();
      case 't':
        return readLiteral("true", Boolean.TRUE);
      case 'f':
        return readLiteral("false", Boolean.FALSE);
      case 'n':
        return readLiteral("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return readNumber();
        }
        throw error("unexpected " + describeHere() + ", expected a value");
    }
  }

  private Map<String, Object> readObject() {
    enter();
    pos++; // '{'
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("unexpected " + describeHere() + ", expected a string object key");
      }
      int keyPos = pos;
      String key = readString();
      skipWhitespace();
      expect(':', "after object key \"" + key + "\"");
      Object value = readValue();
      if (map.containsKey(key)) {
        pos = keyPos;
        throw error("duplicate object key \"" + key + "\"");
      }
      map.put(key, value);
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        depth--;
        return Collections.unmodifiableMap(map);
      }
      if (c != ',') {
        pos--;
        throw error("unexpected " + describeHere() + ", expected ',' or '}' in object");
      }
    }
  }

  private List<Object> readArray() {
    enter();
    pos++; // '['
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      list.add(readValue());
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        depth--;
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        pos--;
        throw error("unexpected " + describeHere() + ", expected ',' or ']' in array");
      }
    }
  }

  private String readString() {
    int start = pos;
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        pos = start;
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error(
            "control character U+"
                + String.format("%04X", (int) c)
                + " must be escaped in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated escape sequence");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(readHex4());
        default -> {
          pos--;
          throw error("invalid escape '\\" + e + "'");
        }
      }
    }
  }

  private char readHex4() {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos), 16);
      if (d < 0) {
        throw error("invalid hex digit '" + text.charAt(pos) + "' in \\u escape");
      }
      v = v * 16 + d;
      pos++;
    }
    return (char) v; // surrogate pairs come out as two chars, which is what Java strings hold
  }

  private Double readNumber() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      skipDigits();
    } else {
      throw error("invalid number: expected a digit");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error("invalid number: expected a digit after '.'");
      }
      skipDigits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("invalid number: expected a digit in the exponent");
      }
      skipDigits();
    }
    return Double.valueOf(text.substring(start, pos));
  }

  private Object readLiteral(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected " + describeHere() + ", expected a value");
    }
    pos += word.length();
    return value;
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
  }

  private void expect(char c, String where) {
    if (peek() != c) {
      throw error("unexpected " + describeHere() + ", expected '" + c + "' " + where);
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipDigits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private String describeHere() {
    if (pos >= text.length()) {
      return "end of input";
    }
    char c = text.charAt(pos);
    return c < 0x20 ? String.format("character U+%04X", (int) c) : "character '" + c + "'";
  }

  private IllegalArgumentException error(String message) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(pos, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new IllegalArgumentException(
        "invalid JSON at line " + line + ", column " + column + ": " + message);
  }

  /**
   * Writes {@code value} (in the shapes {@link #parse} returns; any {@link Number} and {@link
   * CharSequence} too) as compact JSON. A whole number is written without a fraction.
   *
   * @param value the value
   * @return its JSON text
   * @throws IllegalArgumentException for a value of another type, or a non-finite number
   */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("not a JSON number: " + n);
      }
      out.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : n.toString());
    } else if (value instanceof CharSequence s) {
      writeString(s, out);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(String.valueOf(e.getKey()), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(list.get(i), out);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private static void writeString(CharSequence s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
