package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.HttpConnectProxy;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.testing.RecordingClientListener;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a channel hands a proxied target to its transport, and what its wiring says. */
class ProxiedChannelTest {
  private final ChannelFixture f = new ChannelFixture();

  private ClientConnImpl dial(String target, Map<String, String> env) {
    return ChannelFactory.forTarget(target, f.options().build(), f.env.withEnvironment(env::get));
  }

  @Test
  void theTargetStaysUnresolvedAndTheProxyIsLookedUpOffTheSerializer() {
    HttpConnectProxy proxy = HttpConnectProxy.of("127.0.0.1", 3128).withCredentials("u", "pw");
    ClientConnImpl conn =
        ChannelFactory.forTarget("backend.example:8443", f.options().proxy(proxy).build(), f.env);
    assertEquals("backend.example:8443", conn.authority());
    conn.connect();
    assertTrue(f.transport.transports.isEmpty(), "the proxy's lookup waits for the executor");
    f.clock.runPendingTasks();
    FakeTransport t = f.transport.last();
    assertEquals(InetSocketAddress.createUnresolved("backend.example", 8443), t.address);
    HttpConnectProxy given =
        t.options.addressAttributes().get(TransportAttributes.HTTP_CONNECT_PROXY);
    assertEquals(new InetSocketAddress("127.0.0.1", 3128), given.address());
    assertFalse(given.address().isUnresolved());
    assertEquals("pw", given.password());
    String wiring = conn.describeWiring().toString();
    assertTrue(
        wiring.contains(
            "HTTP CONNECT proxy http://u@127.0.0.1:3128 from the dial options: the proxy resolves"),
        wiring);
    assertFalse(wiring.contains("pw"), wiring);
  }

  @Test
  void theEnvironmentsProxyAppliesToDnsAndPassthroughTargets() {
    ClientConnImpl conn =
        dial("passthrough:///10.9.8.7:50051", Map.of("grpc_proxy", "127.0.0.1:1"));
    conn.connect();
    f.clock.runPendingTasks();
    FakeTransport t = f.transport.last();
    assertEquals(InetSocketAddress.createUnresolved("10.9.8.7", 50051), t.address);
    assertEquals(
        1, t.options.addressAttributes().get(TransportAttributes.HTTP_CONNECT_PROXY).port());
    assertTrue(conn.describeWiring().toString().contains("from grpc_proxy"));
  }

  @Test
  void noProxyTargetsConnectDirectly() {
    ClientConnImpl conn =
        dial("10.9.8.7:50051", Map.of("grpc_proxy", "127.0.0.1:1", "no_proxy", "10.0.0.0/8"));
    conn.connect();
    f.clock.runPendingTasks();
    FakeTransport t = f.transport.last();
    assertEquals(new InetSocketAddress("10.9.8.7", 50051), t.address);
    assertNull(t.options.addressAttributes().get(TransportAttributes.HTTP_CONNECT_PROXY));
    assertFalse(conn.describeWiring().toString().contains("HTTP CONNECT"));
  }

  @Test
  void otherSchemesAreNeverProxied() {
    ClientConnImpl conn =
        ChannelFactory.forTarget(
            "fake:///svc", f.options().proxy(HttpConnectProxy.of("p", 1)).build(), f.env);
    assertFalse(conn.describeWiring().toString().contains("HTTP CONNECT"));
  }

  @Test
  void aMalformedProxyVariableFailsCalls() {
    ClientConnImpl conn = dial("10.9.8.7:1", Map.of("HTTPS_PROXY", "http://p:notaport"));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    f.clock.runPendingTasks();
    assertEquals(Status.Code.UNAVAILABLE, call.status().getCode());
    assertTrue(
        call.status().getDescription().contains("environment variable HTTPS_PROXY"),
        call.status().toString());
  }
}
