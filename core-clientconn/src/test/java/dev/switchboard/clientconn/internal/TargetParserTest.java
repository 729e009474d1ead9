package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.api.spi.Target;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetParserTest {
  private static final Set<String> DEPLOYED = Set.of("passthrough", "static", "dns", "unix");

  static Stream<Arguments> targets() {
    return Stream.of(
        // no scheme: the default scheme gets the whole string
        Arguments.of("127.0.0.1:8080", "passthrough", "", "127.0.0.1:8080"),
        Arguments.of("localhost:50051", "passthrough", "", "localhost:50051"),
        Arguments.of("my-host.example.com:443", "passthrough", "", "my-host.example.com:443"),
        Arguments.of("localhost", "passthrough", "", "localhost"),
        Arguments.of("[::1]:443", "passthrough", "", "[::1]:443"),
        Arguments.of("::1", "passthrough", "", "::1"),
        Arguments.of("localhost:", "passthrough", "", "localhost:"),
        // scheme://authority/endpoint
        Arguments.of("dns:///example.com:443", "dns", "", "example.com:443"),
        Arguments.of("dns://8.8.8.8:53/example.com", "dns", "8.8.8.8:53", "example.com"),
        Arguments.of("DNS:///Example.com", "dns", "", "Example.com"),
        Arguments.of("dns://authority-only", "dns", "authority-only", ""),
        Arguments.of("dns:///[::1]:443", "dns", "", "[::1]:443"),
        Arguments.of("passthrough:///localhost:1", "passthrough", "", "localhost:1"),
        Arguments.of("static:///10.0.0.1:1,10.0.0.2:2", "static", "", "10.0.0.1:1,10.0.0.2:2"),
        Arguments.of("unix:///tmp/grpc.sock", "unix", "", "tmp/grpc.sock"),
        // scheme:endpoint
        Arguments.of("dns:example.com:443", "dns", "", "example.com:443"),
        Arguments.of("unix:/tmp/grpc.sock", "unix", "", "/tmp/grpc.sock"),
        Arguments.of("unix:relative.sock", "unix", "", "relative.sock"),
        // unknown schemes are kept so the channel can name the missing resolver
        Arguments.of("xyz://host/endpoint", "xyz", "host", "endpoint"),
        Arguments.of("xyz:///endpoint", "xyz", "", "endpoint"),
        Arguments.of("xyz:/path", "xyz", "", "/path"),
        Arguments.of("ipv6:[::1]:443", "ipv6", "", "[::1]:443"),
        Arguments.of("unix-abstract:name", "unix-abstract", "", "name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void parses(String text, String scheme, String authority, String endpoint) {
    Target target = TargetParser.parse(text, DEPLOYED::contains, "passthrough");
    assertEquals(new Target(scheme, authority, endpoint, text), target);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void rejectsEmptyTargets(String text) {
    assertThrows(IllegalArgumentException.class, () -> TargetParser.parse(text, s -> true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost:50051", "foo:1"})
  void hostPortWinsOverAnUndeployedSchemeLookalike(String text) {
    assertEquals(TargetParser.FALLBACK_SCHEME, TargetParser.parse(text, s -> false).scheme());
  }

  @Test
  void defaultSchemeIsDnsWhenDeployedElsePassthrough() {
    assertEquals(
        new Target("dns", "", "localhost:50051", "localhost:50051"),
        TargetParser.parse("localhost:50051", "dns"::equals));
    assertEquals(
        new Target("passthrough", "", "localhost:50051", "localhost:50051"),
        TargetParser.parse("localhost:50051", s -> false));
    assertEquals("dns", TargetParser.defaultScheme(Set.of("dns", "passthrough")::contains));
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost:50051"})
  void aDeployedSchemeNamedLikeAHostIsUsed(String text) {
    assertEquals("localhost", TargetParser.parse(text, "localhost"::equals).scheme());
  }
}
