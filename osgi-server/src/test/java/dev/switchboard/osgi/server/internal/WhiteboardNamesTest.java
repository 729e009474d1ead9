package dev.switchboard.osgi.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.osgi.server.WhiteboardConstants;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The names are documented in one place and said the same everywhere: README.md's table lists
 * exactly {@link WhiteboardConstants}' constants with their values, and the Metatype description
 * ({@link ServerConfiguration}) has exactly the configuration properties among them.
 */
class WhiteboardNamesTest {
  private static final String SECTION =
      "### OSGi: gRPC services from the whiteboard, servers from configuration";

  /** Constants that are not configuration properties. */
  private static final Set<String> NOT_CONFIGURATION =
      Set.of(
          "WHITEBOARD_PROPERTY",
          "DEFAULT_TARGET",
          "SERVER_FACTORY_PID",
          "SERVER_PORT",
          "EXECUTOR_DEFAULT",
          "EXECUTOR_DIRECT");

  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| `([A-Z_]+)` \\|.*$");

  private static Map<String, String> constants() throws IllegalAccessException {
    Map<String, String> out = new TreeMap<>();
    for (Field f : WhiteboardConstants.class.getDeclaredFields()) {
      int m = f.getModifiers();
      if (Modifier.isPublic(m) && Modifier.isStatic(m) && f.getType() == String.class) {
        out.put(f.getName(), (String) f.get(null));
      }
    }
    return out;
  }

  @Test
  void readmeTableListsExactlyTheConstants() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf(SECTION);
    assertTrue(start >= 0, "README.md has the section " + SECTION);
    int end = readme.indexOf("\n#", start + SECTION.length());
    Map<String, String> documented = new TreeMap<>();
    for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        assertEquals(null, documented.put(row.group(2), row.group(1)), "twice: " + line);
      }
    }
    assertEquals(constants(), documented);
  }

  @Test
  void metatypeDescribesExactlyTheConfigurationProperties() throws Exception {
    Set<String> attributes = new TreeSet<>();
    for (Method m : ServerConfiguration.class.getDeclaredMethods()) {
      // The Metatype annotations' name mapping: a single '_' stands for '.'.
      attributes.add(m.getName().replace('_', '.'));
    }
    Set<String> configuration = new TreeSet<>();
    constants()
        .forEach(
            (name, value) -> {
              if (!NOT_CONFIGURATION.contains(name)) {
                configuration.add(value);
              }
            });
    assertEquals(configuration, attributes);
  }
}
