package dev.switchboard.compiler;

import java.util.Locale;
import java.util.Set;

/**
 * Turns proto names into Java identifiers. Stateless.
 *
 * <p>{@link #fileClassName} follows protoc's Java generator exactly (the outer class name must
 * match the one {@code --java_out} derives); the method and constant names are this plugin's own
 * convention.
 */
final class JavaIdentifiers {
  /** Reserved words and literals, plus {@code _}: none can be a method name. */
  private static final Set<String> RESERVED =
      Set.of(
          "abstract",
          "assert",
          "boolean",
          "break",
          "byte",
          "case",
          "catch",
          "char",
          "class",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extends",
          "final",
          "finally",
          "float",
          "for",
          "goto",
          "if",
          "implements",
          "import",
          "instanceof",
          "int",
          "interface",
          "long",
          "native",
          "new",
          "package",
          "private",
          "protected",
          "public",
          "return",
          "short",
          "static",
          "strictfp",
          "super",
          "switch",
          "synchronized",
          "this",
          "throw",
          "throws",
          "transient",
          "try",
          "void",
          "volatile",
          "while",
          "true",
          "false",
          "null",
          "_");

  private JavaIdentifiers() {}

  /**
   * The class name protoc derives from a file name: {@code foo/bar_baz-2x.proto} gives {@code
   * BarBaz2X}. Only ASCII letters and digits are kept; a letter after a dropped character or a
   * digit is capitalized, as is the first letter.
   */
  static String fileClassName(String protoFileName) {
    String base = protoFileName.substring(protoFileName.lastIndexOf('/') + 1);
    if (base.endsWith(".protodevel")) {
      base = base.substring(0, base.length() - ".protodevel".length());
    } else if (base.endsWith(".proto")) {
      base = base.substring(0, base.length() - ".proto".length());
    }
    StringBuilder out = new StringBuilder(base.length());
    boolean capitalizeNext = true;
    for (int i = 0; i < base.length(); i++) {
      char c = base.charAt(i);
      if (c >= 'a' && c <= 'z') {
        out.append(capitalizeNext ? (char) (c - 'a' + 'A') : c);
        capitalizeNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        out.append(c);
        capitalizeNext = false;
      } else if (c >= '0' && c <= '9') {
        out.append(c);
        capitalizeNext = true;
      } else {
        capitalizeNext = true;
      }
    }
    return out.toString();
  }

  /**
   * The Java method name for an RPC: lower camel case, a leading acronym lowered as a whole ({@code
   * UnaryCall} gives {@code unaryCall}, {@code URLFetch} {@code urlFetch}, {@code GetHTTPStatus}
   * {@code getHTTPStatus}, {@code list_items} {@code listItems}), with {@code _} appended to a
   * reserved word.
   */
  static String methodName(String rpcName) {
    String camel = upperCamel(rpcName);
    int upperRun = 0;
    while (upperRun < camel.length() && Character.isUpperCase(camel.charAt(upperRun))) {
      upperRun++;
    }
    // Lower a leading acronym, but keep the capital that starts the next word: URLFetch ->
    // urlFetch.
    int lower = upperRun > 1 && upperRun < camel.length() ? upperRun - 1 : upperRun;
    String name = camel.substring(0, lower).toLowerCase(Locale.ROOT) + camel.substring(lower);
    if (name.isEmpty()) {
      return "call_";
    }
    return RESERVED.contains(name) ? name + "_" : name;
  }

  /**
   * The constant for an RPC's descriptor: {@code METHOD_} and the name in upper snake case, with
   * word breaks before a capital that follows a lower-case letter or digit, and before the last
   * capital of an acronym followed by lower case ({@code HTTPGet} gives {@code METHOD_HTTP_GET}).
   */
  static String methodConstantName(String rpcName) {
    StringBuilder out = new StringBuilder("METHOD_");
    int start = out.length();
    for (int i = 0; i < rpcName.length(); i++) {
      char c = rpcName.charAt(i);
      if (c == '_') {
        appendBreak(out, start);
        continue;
      }
      if (Character.isUpperCase(c) && i > 0) {
        char prev = rpcName.charAt(i - 1);
        boolean nextLower =
            i + 1 < rpcName.length() && Character.isLowerCase(rpcName.charAt(i + 1));
        if (Character.isLowerCase(prev)
            || Character.isDigit(prev)
            || (Character.isUpperCase(prev) && nextLower)) {
          appendBreak(out, start);
        }
      }
      out.append(Character.toUpperCase(c));
    }
    int end = out.length();
    while (end > start && out.charAt(end - 1) == '_') {
      end--;
    }
    out.setLength(end);
    return out.length() == start ? "METHOD_" : out.toString();
  }

  /** Removes underscores, capitalizing the letter after each, and capitalizes the first. */
  private static String upperCamel(String name) {
    StringBuilder out = new StringBuilder(name.length());
    boolean capitalizeNext = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_') {
        capitalizeNext = true;
      } else {
        out.append(capitalizeNext ? Character.toUpperCase(c) : c);
        capitalizeNext = false;
      }
    }
    return out.toString();
  }

  private static void appendBreak(StringBuilder out, int start) {
    if (out.length() > start && out.charAt(out.length() - 1) != '_') {
      out.append('_');
    }
  }
}
