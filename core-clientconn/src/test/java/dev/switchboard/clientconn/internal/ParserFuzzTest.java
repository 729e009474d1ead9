package dev.switchboard.clientconn.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.api.transport.WireFormat;

/**
 * Coverage-guided fuzz tests (Jazzer) of the parsers that read what a peer or a resolver sends: the
 * service config JSON, the target string, {@code grpc-timeout}, the percent-encoded {@code
 * grpc-message} and {@code -bin} headers. Each may refuse its input with {@link
 * IllegalArgumentException} and nothing else: any other exception, or a hang, is a finding.
 *
 * <p>In the normal test run each target replays its seeds and the inputs kept under {@code
 * src/test/resources/.../ParserFuzzTestInputs} (regressions); {@code JAZZER_FUZZ=1 mvn -pl
 * core-clientconn test -Dtest=ParserFuzzTest} fuzzes for the time given in {@code maxDuration}.
 */
class ParserFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void serviceConfig(String json) {
    if (json == null) {
      return; // never null from the network or a resolver
    }
    try {
      ServiceConfigParser.checkSyntax(json);
      ServiceConfigParser.methodConfigsOf(json);
    } catch (IllegalArgumentException expected) {
      // refused, as invalid input must be
    }
  }

  @FuzzTest(maxDuration = "30s")
  void target(String target) {
    if (target == null) {
      return; // never null from the network or a resolver
    }
    try {
      TargetParser.parse(target, scheme -> scheme.equals("dns"));
    } catch (IllegalArgumentException expected) {
      // refused
    }
  }

  @FuzzTest(maxDuration = "30s")
  void grpcTimeout(String value) {
    if (value == null) {
      return; // never null from the network or a resolver
    }
    try {
      long nanos = WireFormat.parseTimeout(value);
      if (nanos < 0) {
        throw new AssertionError("negative timeout " + nanos + " from '" + value + "'");
      }
    } catch (IllegalArgumentException expected) {
      // refused
    }
  }

  @FuzzTest(maxDuration = "30s")
  void statusMessage(String value) {
    if (value == null) {
      return; // never null from the network or a resolver
    }
    String decoded = WireFormat.decodeStatusMessage(value);
    String again = WireFormat.decodeStatusMessage(WireFormat.encodeStatusMessage(decoded));
    if (!again.equals(decoded)) {
      throw new AssertionError("encode/decode does not round-trip '" + decoded + "'");
    }
  }

  @FuzzTest(maxDuration = "30s")
  void binaryHeader(String value) {
    if (value == null) {
      return; // never null from the network or a resolver
    }
    try {
      byte[] bytes = WireFormat.decodeBinaryHeader(value);
      byte[] again = WireFormat.decodeBinaryHeader(WireFormat.encodeBinaryHeader(bytes));
      if (!java.util.Arrays.equals(bytes, again)) {
        throw new AssertionError("-bin does not round-trip");
      }
    } catch (IllegalArgumentException expected) {
      // invalid base64
    }
  }
}
