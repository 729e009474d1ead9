package dev.switchboard.server.internal;

import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.ServerMethodDefinition;
import dev.switchboard.api.spi.CodecRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The start-up check that a server's methods have the codecs they need: a method without explicit
 * marshallers needs the codec it names ({@code proto} by default), and its calls fail INTERNAL
 * while none is deployed. A server built without one would otherwise start silently. Stateless.
 */
final class CodecCheck {
  private CodecCheck() {}

  /**
   * One warning per codec that some method needs and {@code codecs} lacks, naming the methods, what
   * is deployed, and how to deploy it; empty when nothing is missing.
   */
  static List<String> missing(
      Collection<ServerMethodDefinition<?, ?>> methods, CodecRegistry codecs) {
    Map<String, List<String>> needing = new TreeMap<>();
    for (ServerMethodDefinition<?, ?> definition : methods) {
      MethodDescriptor<?, ?> method = definition.method();
      if (method.getRequestMarshaller() != null && method.getResponseMarshaller() != null) {
        continue;
      }
      if (codecs.lookup(method.getCodecName()) == null) {
        needing
            .computeIfAbsent(method.getCodecName(), k -> new ArrayList<>())
            .add(method.getFullMethodName());
      }
    }
    List<String> out = new ArrayList<>();
    needing.forEach(
        (codec, names) -> {
          List<String> sorted = List.copyOf(new TreeSet<>(names));
          String shown =
              sorted.size() <= 3
                  ? String.join(", ", sorted)
                  : String.join(", ", sorted.subList(0, 3))
                      + " and "
                      + (sorted.size() - 3)
                      + " more";
          out.add(
              "no codec '"
                  + codec
                  + "' deployed (deployed: "
                  + new TreeSet<>(codecs.providers().keySet())
                  + "); calls to "
                  + sorted.size()
                  + " method(s) fail INTERNAL until one is: "
                  + shown
                  + ". To deploy it: "
                  + codecs.howToDeploy(codec));
        });
    return out;
  }
}
