package dev.switchboard.osgi.channel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.osgi.channel.ChannelProperties;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The property names are the same in their one definition ({@link ChannelProperties}), the Metatype
 * form bnd generated, the Declarative Services component and README's table.
 */
class PropertyNamesTest {
  /** README's section, and its table rows: "| `name` | ...". */
  private static final String SECTION = "### OSGi: channels from configuration";

  private static final Pattern ROW = Pattern.compile("^\\| `([a-z.]+)` \\|");

  private static Document xml(String resource) throws Exception {
    URL url = PropertyNamesTest.class.getClassLoader().getResource(resource);
    assertNotNull(url, resource + " (bnd writes it when the module is built)");
    try (InputStream in = url.openStream()) {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      return f.newDocumentBuilder().parse(in);
    }
  }

  @Test
  void theConstantsAreTheListOfAllProperties() throws IllegalAccessException {
    Set<String> constants = new TreeSet<>();
    for (Field f : ChannelProperties.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && f.getType() == String.class
          && !f.getName().equals("FACTORY_PID")
          && !f.getName().equals("DEFAULT_RETIRE_DELAY")
          && !f.getName().equals("SHELL_LABEL")) {
        constants.add((String) f.get(null));
      }
    }
    assertEquals(constants, new TreeSet<>(ChannelProperties.ALL));
    assertEquals(ChannelProperties.ALL.size(), Set.copyOf(ChannelProperties.ALL).size());
  }

  @Test
  void theMetatypeFormListsTheSameProperties() throws Exception {
    Document d = xml("OSGI-INF/metatype/" + ChannelProperties.FACTORY_PID + ".xml");
    Element ocd = (Element) d.getElementsByTagName("OCD").item(0);
    assertEquals(ChannelProperties.FACTORY_PID, ocd.getAttribute("id"));
    List<String> ids = new ArrayList<>();
    NodeList ads = d.getElementsByTagName("AD");
    for (int i = 0; i < ads.getLength(); i++) {
      ids.add(((Element) ads.item(i)).getAttribute("id"));
    }
    assertEquals(ChannelProperties.ALL, ids);
    Element designate = (Element) d.getElementsByTagName("Designate").item(0);
    assertEquals(ChannelProperties.FACTORY_PID, designate.getAttribute("factoryPid"));
  }

  @Test
  void theComponentReadsTheFactoryConfigurations() throws Exception {
    Document d = xml("OSGI-INF/" + ChannelComponent.class.getName() + ".xml");
    Element component = d.getDocumentElement();
    assertEquals(ChannelProperties.FACTORY_PID, component.getAttribute("configuration-pid"));
    assertEquals("require", component.getAttribute("configuration-policy"));
    assertEquals("modified", component.getAttribute("modified"));
  }

  @Test
  void readmesTableListsTheSameProperties() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
    int start = lines.indexOf(SECTION);
    assertTrue(start >= 0, "README.md has no section '" + SECTION + "'");
    List<String> names = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ") || line.startsWith("### ")) {
        break; // the next section
      }
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    assertEquals(ChannelProperties.ALL, names);
  }
}
