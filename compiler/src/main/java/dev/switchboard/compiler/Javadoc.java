package dev.switchboard.compiler;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts proto comments into Javadoc. Stateless.
 *
 * <p>Proto comments are plain text, so they go in a {@code <pre>} block with everything that means
 * something to javac or javadoc escaped as an HTML entity: {@code & < >}, {@code @} (tags), the
 * {@code /} of {@code *}{@code /} (which would end the comment), a {@code *} starting a line
 * (javadoc strips it) and {@code \} (javac reads {@code \}{@code u} escapes even in comments).
 */
final class Javadoc {
  private Javadoc() {}

  /**
   * The lines of a {@code <pre>} block holding {@code comment}, each line escaped, common
   * indentation and surrounding blank lines removed; empty when the comment is blank.
   */
  static List<String> preformatted(String comment) {
    String[] raw = comment.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    List<String> lines = new ArrayList<>();
    for (String line : raw) {
      lines.add(stripTrailing(withoutControlCharacters(line)));
    }
    while (!lines.isEmpty() && lines.get(0).isEmpty()) {
      lines.remove(0);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty()) {
      return List.of();
    }
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isEmpty()) {
        indent = Math.min(indent, leadingSpaces(line));
      }
    }
    List<String> block = new ArrayList<>(lines.size() + 2);
    block.add("<pre>");
    for (String line : lines) {
      block.add(escape(line.isEmpty() ? line : line.substring(indent)));
    }
    block.add("</pre>");
    return block;
  }

  /** Escapes one line of plain text for a Javadoc comment. */
  static String escape(String line) {
    StringBuilder out = new StringBuilder(line.length() + 16);
    boolean lineStart = true;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '@' -> out.append("&#64;");
        case '\\' -> out.append("&#92;");
        case '/' -> out.append(i > 0 && line.charAt(i - 1) == '*' ? "&#47;" : "/");
        case '*' -> out.append(lineStart ? "&#42;" : "*");
        default -> out.append(c);
      }
      lineStart &= c == ' ' || c == '\t';
    }
    return out.toString();
  }

  private static String withoutControlCharacters(String line) {
    StringBuilder out = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      out.append(c == '\t' ? "  " : c < 0x20 || c == 0x7f ? "" : String.valueOf(c));
    }
    return out.toString();
  }

  private static String stripTrailing(String line) {
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ') {
      end--;
    }
    return line.substring(0, end);
  }

  private static int leadingSpaces(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }
}
