package dev.switchboard.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImportPlanTest {
  private static final JavaTypeName API_CHANNEL = JavaTypeName.of("dev.switchboard.api", "Channel");
  private static final JavaTypeName STRING = JavaTypeName.of("java.lang", "String");

  @Test
  void importsTypesOfOtherPackagesAndNotJavaLangOrOwnPackage() {
    JavaTypeName local = JavaTypeName.of("com.example", "Request");
    JavaTypeName nested = JavaTypeName.of("other.pkg", "Outer").nested("Inner");
    ImportPlan plan = new ImportPlan("com.example", Set.of("FooSwitchboard"), Set.of());
    plan.add(STRING).add(API_CHANNEL).add(local).add(nested);

    assertEquals(List.of("dev.switchboard.api.Channel", "other.pkg.Outer"), plan.imports());
    assertEquals("String", plan.spell(STRING));
    assertEquals("Channel", plan.spell(API_CHANNEL));
    assertEquals("Request", plan.spell(local));
    assertEquals("Outer.Inner", plan.spell(nested));
  }

  @Test
  void laterTypesWithATakenSimpleNameAreQualified() {
    JavaTypeName message = JavaTypeName.of("com.example", "Channel");
    ImportPlan plan = new ImportPlan("com.example", Set.of(), Set.of());
    plan.add(API_CHANNEL).add(message);

    assertEquals("Channel", plan.spell(API_CHANNEL));
    assertEquals("com.example.Channel", plan.spell(message));
    assertEquals(List.of("dev.switchboard.api.Channel"), plan.imports());
  }

  @Test
  void declaredNamesAreNeverImported() {
    JavaTypeName message = JavaTypeName.of("other", "FooStub");
    ImportPlan plan = new ImportPlan("com.example", Set.of("FooStub"), Set.of());
    plan.add(message);

    assertEquals("other.FooStub", plan.spell(message));
    assertEquals(List.of(), plan.imports());
  }

  @Test
  void javaLangTypeShadowedByAClassOfThePackageIsQualified() {
    JavaTypeName message = JavaTypeName.of("com.example", "String");
    ImportPlan plan = new ImportPlan("com.example", Set.of(), Set.of("String"));
    plan.add(STRING).add(message);

    assertEquals("java.lang.String", plan.spell(STRING));
    assertEquals("String", plan.spell(message));
  }

  @Test
  void spellingAnUnplannedTypeIsAProgrammingError() {
    ImportPlan plan = new ImportPlan("com.example", Set.of(), Set.of());
    assertThrows(IllegalStateException.class, () -> plan.spell(STRING));
  }
}
