package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.UnixAbstractAddress;
import dev.switchboard.api.spi.Target;
import dev.switchboard.testing.RecordingClientListener;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The built-in {@code unix} and {@code unix-abstract} resolvers: target forms, errors, authority.
 */
class UnixResolverTest {
  private final ChannelFixture f = new ChannelFixture();

  /** Dials {@code target} and returns the address the channel's first connection went to. */
  private SocketAddress connectedTo(String target) {
    ClientConnImpl conn = f.dial(target);
    assertEquals("localhost", conn.authority());
    assertTrue(conn.parsedTarget().scheme().startsWith("unix"), conn.parsedTarget().toString());
    conn.connect();
    assertEquals(0, f.clock.numPendingTasks(), "nothing to look up");
    return f.transport.last().address;
  }

  @Test
  void socketFileTargets() {
    assertEquals(UnixDomainSocketAddress.of("/tmp/a.sock"), connectedTo("unix:/tmp/a.sock"));
    assertEquals(UnixDomainSocketAddress.of("/tmp/b.sock"), connectedTo("unix:///tmp/b.sock"));
    assertEquals(UnixDomainSocketAddress.of("/tmp/c.sock"), connectedTo("UNIX:///tmp/c.sock"));
    assertEquals(UnixDomainSocketAddress.of("run/d.sock"), connectedTo("unix:run/d.sock"));
    // Looks like host:port, but 'unix' has a resolver: a relative path named "50051".
    assertEquals(UnixDomainSocketAddress.of("50051"), connectedTo("unix:50051"));
  }

  @Test
  void abstractTargets() {
    assertEquals(UnixAbstractAddress.of("grpc-test"), connectedTo("unix-abstract:grpc-test"));
    // As in grpc-go: the // form's path keeps its slash.
    assertEquals(UnixAbstractAddress.of("/grpc-test"), connectedTo("unix-abstract:///grpc-test"));
    assertEquals(UnixAbstractAddress.of("a b%20c"), connectedTo("unix-abstract:a b%20c"));
  }

  @Test
  void theAuthorityCanBeOverridden() {
    ClientConnImpl conn = f.dial("unix:/tmp/a.sock", f.options().authority("svc.local").build());
    assertEquals("svc.local", conn.authority());
  }

  @Test
  void malformedTargetsFailTheirCallsSayingWhy() {
    assertFails(
        "unix://host/tmp/a.sock",
        "invalid unix target 'unix://host/tmp/a.sock': a unix target names no host, but this one"
            + " names 'host' (the // form needs three slashes: unix:///absolute/path)");
    assertFails("unix:", "invalid unix target 'unix:': no socket path");
    assertFails("unix:///", "invalid unix target 'unix:///': no socket path");
    assertFails("unix://", "invalid unix target 'unix://': no socket path");
    assertFails(
        "unix-abstract:", "invalid unix-abstract target 'unix-abstract:': no abstract socket name");
    assertFails(
        "unix-abstract://h/n",
        "invalid unix-abstract target 'unix-abstract://h/n': a unix-abstract target names no host,"
            + " but this one names 'h' (the // form needs three slashes: unix-abstract:///name)");
    assertFails(
        "unix-abstract:" + "x".repeat(108),
        "invalid unix-abstract target 'unix-abstract:"
            + "x".repeat(108)
            + "': abstract socket name of 108 bytes is longer than 107 bytes: "
            + "x".repeat(108));
    assertFails("unix:/tmp/a\0b", "invalid unix target 'unix:/tmp/a\0b': invalid socket path: ");
  }

  private void assertFails(String target, String descriptionStart) {
    ClientConnImpl conn = f.dial(target);
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(Status.Code.UNAVAILABLE, call.status().getCode());
    assertTrue(
        call.status().getDescription().startsWith(descriptionStart),
        call.status().getDescription());
    conn.close();
  }

  @Test
  void addressOfATargetWithoutItsOriginalSchemePrefixTakesTheOpaqueForm() {
    Target t = new Target("unix", "", "/x.sock", "something else");
    assertEquals(UnixDomainSocketAddress.of("/x.sock"), UnixResolver.address(t));
    assertThrows(
        IllegalArgumentException.class,
        () -> UnixResolver.address(new Target("unix", "", "", "unix:")));
  }
}
