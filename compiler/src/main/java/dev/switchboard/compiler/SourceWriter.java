package dev.switchboard.compiler;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds Java source line by line with two-space block indentation, Google Java Style. Not
 * thread-safe; one per generated file.
 */
final class SourceWriter {
  /** Google Java Style's column limit; {@link #call} wraps argument lists that would pass it. */
  static final int COLUMN_LIMIT = 100;

  private final StringBuilder out = new StringBuilder(8192);
  private int indent;

  /** Writes one line at the current indentation; an empty string writes an empty line. */
  SourceWriter line(String text) {
    if (!text.isEmpty()) {
      out.append("  ".repeat(indent)).append(text);
    }
    out.append('\n');
    return this;
  }

  SourceWriter blankLine() {
    return line("");
  }

  /** Writes {@code header} and opens a block: {@code header {}. */
  SourceWriter open(String header) {
    line(header + " {");
    indent++;
    return this;
  }

  /** Writes {@code head(params...) {}, wrapped like {@link #call}, and opens a block. */
  SourceWriter openCall(String head, List<String> params) {
    call(head, params, " {");
    indent++;
    return this;
  }

  /** Closes the innermost block. */
  SourceWriter close() {
    indent--;
    return line("}");
  }

  /**
   * Writes a Javadoc comment; nothing when {@code lines} is empty. Lines between {@code <pre>} and
   * {@code </pre>} are kept as they are; others are word-wrapped at the column limit, block tags
   * ({@code @param ...}) with a hanging indent.
   */
  SourceWriter javadoc(List<String> lines) {
    if (lines.isEmpty()) {
      return this;
    }
    int room = COLUMN_LIMIT - indent * 2 - " * ".length();
    List<String> wrapped = new ArrayList<>();
    boolean preformatted = false;
    for (String text : lines) {
      preformatted |= text.equals("<pre>");
      if (preformatted || text.length() <= room) {
        wrapped.add(text);
      } else if (text.startsWith("@")) {
        // A block tag's continuation lines get a four-space hanging indent.
        List<String> tagLines = wordWrap(text, room - 4);
        wrapped.add(tagLines.get(0));
        tagLines.subList(1, tagLines.size()).forEach(line -> wrapped.add("    " + line));
      } else {
        wrapped.addAll(wordWrap(text, room));
      }
      preformatted &= !text.equals("</pre>");
    }
    if (wrapped.size() == 1 && width("/** " + wrapped.get(0) + " */") <= COLUMN_LIMIT) {
      return line("/** " + wrapped.get(0) + " */");
    }
    line("/**");
    for (String text : wrapped) {
      line(text.isEmpty() ? " *" : " * " + text);
    }
    return line(" */");
  }

  private static List<String> wordWrap(String text, int room) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : text.split(" ")) {
      if (current.length() > 0 && current.length() + 1 + word.length() > room) {
        out.add(current.toString());
        current.setLength(0);
      }
      if (current.length() > 0) {
        current.append(' ');
      }
      current.append(word);
    }
    out.add(current.toString());
    return out;
  }

  /**
   * Writes {@code head(args...)tail}: on one line when it fits, else with the arguments on the next
   * line (or one a line) at a four-space continuation indent.
   */
  SourceWriter call(String head, List<String> args, String tail) {
    String joined = String.join(", ", args);
    if (width(head + "(" + joined + ")" + tail) <= COLUMN_LIMIT) {
      return line(head + "(" + joined + ")" + tail);
    }
    line(head + "(");
    indent += 2;
    if (width(joined + ")" + tail) <= COLUMN_LIMIT) {
      line(joined + ")" + tail);
    } else {
      for (int i = 0; i < args.size(); i++) {
        line(args.get(i) + (i == args.size() - 1 ? ")" + tail : ","));
      }
    }
    indent -= 2;
    return this;
  }

  /** Runs {@code body} one continuation (four spaces) further in. */
  SourceWriter continued(Runnable body) {
    indent += 2;
    body.run();
    indent -= 2;
    return this;
  }

  /** The column a line of {@code text} would end at, at the current indentation. */
  int width(String text) {
    return indent * 2 + text.length();
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
