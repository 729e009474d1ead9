package dev.switchboard.compiler;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides how one generated file spells each type it uses: by simple name (importing it unless it
 * is in {@code java.lang} or the file's package) where that is unambiguous, else fully qualified.
 * Not thread-safe; one per generated file.
 *
 * <p>Types are {@linkplain #add added} before anything is spelled, the file's own API and JDK types
 * first: when two types share a simple name, the first added gets it and later ones are fully
 * qualified, so a message called {@code Channel} never displaces {@code
 * dev.switchboard.api.Channel}. The names the file declares itself always win. A {@code java.lang}
 * type is qualified when a class of the file's package shadows it.
 */
final class ImportPlan {
  private final String filePackage;
  private final Set<String> declaredNames;
  private final Set<String> samePackageClasses;

  /** Simple name to the top-level type that is spelled by it. */
  private final Map<String, JavaTypeName> claimed = new HashMap<>();

  /** Top-level types spelled by their simple names. */
  private final Set<JavaTypeName> shortTypes = new HashSet<>();

  private final Set<JavaTypeName> added = new HashSet<>();
  private final Set<String> imports = new TreeSet<>();

  /**
   * @param filePackage the generated file's package, empty for the unnamed package
   * @param declaredNames the simple names of the classes the file declares (top-level and nested)
   * @param samePackageClasses simple names of other top-level classes known in that package
   */
  ImportPlan(String filePackage, Set<String> declaredNames, Set<String> samePackageClasses) {
    this.filePackage = filePackage;
    this.declaredNames = Set.copyOf(declaredNames);
    this.samePackageClasses = Set.copyOf(samePackageClasses);
  }

  /** Registers a type the file uses; earlier registrations win simple-name clashes. */
  ImportPlan add(JavaTypeName type) {
    JavaTypeName top = type.topLevel();
    if (!added.add(top)) {
      return this;
    }
    String name = top.topLevelName();
    if (declaredNames.contains(name) || claimed.containsKey(name)) {
      return this; // fully qualified
    }
    if (top.packageName().equals("java.lang")
        && !filePackage.equals("java.lang")
        && samePackageClasses.contains(name)) {
      return this; // a class of this package shadows it
    }
    claimed.put(name, top);
    shortTypes.add(top);
    if (!top.packageName().equals("java.lang") && !top.packageName().equals(filePackage)) {
      imports.add(top.canonicalName());
    }
    return this;
  }

  /** How the file spells {@code type}, which must have been added. */
  String spell(JavaTypeName type) {
    JavaTypeName top = type.topLevel();
    if (!added.contains(top)) {
      throw new IllegalStateException("type not added to the plan: " + type);
    }
    return shortTypes.contains(top) ? type.relativeName() : type.canonicalName();
  }

  /** The canonical names to import, sorted. */
  List<String> imports() {
    return List.copyOf(imports);
  }
}
