package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static dev.switchboard.itests.InFramework.awaitRegistration;
import static dev.switchboard.itests.InFramework.awaitWiring;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.clientconn.ClientConns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * A transport bundle that is not started yet when an application creates its channel (start order
 * in a container), or restarts under it (a bundle update): the channel is CONNECTING for its
 * provider grace period, its calls wait, and none fails once the bundle is there. Without a grace
 * period calls fail at once, and the status names the missing service and its property. A fresh
 * framework per test.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class) // two pax-exam containers are on the class path
@ExamReactorStrategy(PerMethod.class)
public class ProvidersArrivingIT {
  /** Long enough that a loaded machine starts a bundle within it. */
  private static final Duration GRACE = Duration.ofSeconds(20);

  private static final int CALLS = 50;

  @Inject BundleContext ctx;

  private Server server;
  private Bundle netty;
  private final List<ClientConn> channels = new ArrayList<>();

  @Configuration
  public Option[] config() {
    // The echo server runs on the transport these tests stop, and holds it until it is shut down:
    // the transport's unregistration need not wait for it (see RegistryFeed's release timeout;
    // with one, the server would be shut down halfway through it, as BundleRefreshIT shows).
    return FelixOptions.switchboard(
        frameworkProperty("switchboard.provider.releaseTimeout").value("0"));
  }

  @Before
  public void backendThenNoTransport() throws Exception {
    server = Loopback.start(new EchoService("backend-0")); // while netty is there
    netty = InFramework.bundle(ctx, "transport-netty");
    netty.stop();
    awaitRegistration(
        TransportRegistry.getDefaultRegistry(), "netty", r -> r == null, "netty to leave");
  }

  @After
  public void tearDown() throws InterruptedException {
    for (ClientConn c : channels) {
      c.close();
    }
    InFramework.shutdown(null, server == null ? List.of() : List.of(server));
  }

  private ClientConn channel(Duration grace) {
    ClientConn conn =
        ClientConns.newClient(
            Loopback.target(server), Loopback.insecure().providerGrace(grace).build());
    channels.add(conn);
    return conn;
  }

  private static List<RecordingListener<StringValue>> startCalls(ClientConn conn) {
    List<RecordingListener<StringValue>> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      calls.add(
          Loopback.call(
              conn,
              EchoService.UNARY,
              CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
              new Metadata(),
              str("id")));
    }
    return calls;
  }

  private static void assertAllAnswered(List<RecordingListener<StringValue>> calls)
      throws Exception {
    for (RecordingListener<StringValue> call : calls) {
      Status status = call.awaitClose();
      assertTrue("a call failed: " + status, status.isOk());
      assertEquals("backend-0", call.messages.get(0).getValue());
    }
  }

  @Test
  public void callsMadeBeforeTheTransportBundleStartsWaitForIt() throws Exception {
    ClientConn conn = channel(GRACE);
    List<RecordingListener<StringValue>> calls = startCalls(conn);
    ChannelWiring waiting =
        awaitWiring(
            conn,
            w -> w.transport() != null && w.transport().state() == ChannelWiring.State.MISSING,
            "the transport to be missing");
    assertEquals(waiting.toString(), ConnectivityState.CONNECTING, conn.getState(false));
    assertTrue(waiting.toString(), waiting.transport().detail().contains("wait for one"));

    netty.start();
    assertAllAnswered(calls);
    ChannelWiring ready =
        awaitWiring(
            conn,
            w -> w.transport() != null && w.transport().detail().startsWith("1 connection(s); h2c"),
            "one connection");
    assertTrue(
        ready.toString(),
        ready.transport().origin().startsWith("bundle dev.switchboard.transport.netty "));
  }

  @Test
  public void callsWaitThroughATransportRestart() throws Exception {
    netty.start();
    ClientConn conn = channel(GRACE);
    assertEquals("backend-0", InFramework.callId(conn));

    netty.stop(); // as in a bundle update, or a framework stopping the transport first
    awaitRegistration(
        TransportRegistry.getDefaultRegistry(), "netty", r -> r == null, "netty to leave");
    List<RecordingListener<StringValue>> calls = startCalls(conn);
    netty.start();
    assertAllAnswered(calls);
  }

  @Test
  public void withoutAGracePeriodCallsFailAtOnceNamingTheServiceToDeploy() throws Exception {
    ClientConn conn = channel(Duration.ZERO);
    Status status =
        Loopback.call(
                conn,
                EchoService.UNARY,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                new Metadata(),
                str("id"))
            .awaitClose();
    assertEquals(status.toString(), Status.Code.UNAVAILABLE, status.getCode());
    assertEquals(
        "no transport 'netty' deployed: install and start the bundle providing it (a "
            + "dev.switchboard.api.transport.TransportProvider service with transport.name=netty)",
        status.getDescription());
  }
}
