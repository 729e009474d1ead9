package dev.switchboard.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Java class by package and by its chain of simple names, outermost first: {@code
 * com.example.EchoProto.Request} is package {@code com.example}, names {@code [EchoProto,
 * Request]}. The package is empty for the unnamed package.
 *
 * @param packageName the package, possibly empty
 * @param simpleNames the top-level class name followed by the nested class names, never empty
 */
record JavaTypeName(String packageName, List<String> simpleNames) {
  JavaTypeName {
    Objects.requireNonNull(packageName, "packageName");
    simpleNames = List.copyOf(simpleNames);
    if (simpleNames.isEmpty()) {
      throw new IllegalArgumentException("a type needs a name");
    }
  }

  /** A top-level class. */
  static JavaTypeName of(String packageName, String simpleName) {
    return new JavaTypeName(packageName, List.of(simpleName));
  }

  /** The class nested in this one under {@code simpleName}. */
  JavaTypeName nested(String simpleName) {
    List<String> names = new ArrayList<>(simpleNames);
    names.add(simpleName);
    return new JavaTypeName(packageName, names);
  }

  String topLevelName() {
    return simpleNames.get(0);
  }

  /** The top-level class that holds this one (this one when it is top-level). */
  JavaTypeName topLevel() {
    return simpleNames.size() == 1 ? this : of(packageName, topLevelName());
  }

  /** The name relative to the package: {@code EchoProto.Request}. */
  String relativeName() {
    return String.join(".", simpleNames);
  }

  /** The canonical name: {@code com.example.EchoProto.Request}. */
  String canonicalName() {
    return packageName.isEmpty() ? relativeName() : packageName + "." + relativeName();
  }

  @Override
  public String toString() {
    return canonicalName();
  }
}
