package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static dev.switchboard.itests.InFramework.awaitRegistration;
import static dev.switchboard.itests.InFramework.awaitWiring;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.clientconn.ClientConns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
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
 * What a live channel does when the bundle of a provider it uses leaves, and when it comes back:
 * resolver (keeps its last addresses, resumes), transport (in-flight calls drain, new connections
 * fail naming the transport once the channel's provider grace period is over), codec (calls fail
 * with a status naming the codec). A fresh framework per test.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerMethod.class)
public class ProvidersLeavingIT {
  @Inject BundleContext ctx;

  private final List<Server> servers = new ArrayList<>();
  private final List<ClientConn> channels = new ArrayList<>();

  @Configuration
  public Option[] config() {
    // The echo server runs on the transport these tests stop, and holds it until it is shut down:
    // the transport's unregistration need not wait for it (see RegistryFeed's release timeout;
    // with one, the server would be shut down halfway through it, as BundleRefreshIT shows).
    return FelixOptions.switchboard(
        frameworkProperty("switchboard.provider.releaseTimeout").value("0"));
  }

  @After
  public void tearDown() throws InterruptedException {
    for (ClientConn c : channels) {
      c.close();
    }
    InFramework.shutdown(null, servers);
  }

  private ClientConn channel(String target) {
    ClientConn conn = ClientConns.newClient(target, Loopback.insecure().build());
    channels.add(conn);
    return conn;
  }

  /** A channel that fails at once for a missing provider, instead of waiting for it first. */
  private ClientConn impatientChannel(String target) {
    ClientConn conn =
        ClientConns.newClient(target, Loopback.insecure().providerGrace(Duration.ZERO).build());
    channels.add(conn);
    return conn;
  }

  private Server backend(String id) throws Exception {
    Server s = Loopback.start(new EchoService(id));
    servers.add(s);
    return s;
  }

  @Test
  public void resolverLeavingKeepsTheLastAddressesAndResumesWhenBack() throws Exception {
    Server server = backend("backend-0");
    String target = "dns:///localhost:" + server.port();
    ClientConn conn = channel(target);
    assertEquals("backend-0", InFramework.callId(conn));
    awaitWiring(conn, w -> resolverIs(w, ChannelWiring.State.ACTIVE), "dns to resolve");

    Bundle dns = InFramework.bundle(ctx, "resolver-dns");
    dns.stop();
    awaitRegistration(ResolverRegistry.getDefaultRegistry(), "dns", r -> r == null, "dns to leave");
    ChannelWiring lost =
        awaitWiring(
            conn,
            w -> w.resolver() != null && w.resolver().state() == ChannelWiring.State.LOST,
            "the resolver to be lost");
    for (int i = 0; i < 20; i++) {
      assertEquals(
          "calls keep the last addresses; wiring:\n" + lost, "backend-0", InFramework.callId(conn));
    }
    // A new channel has nothing to keep: it says which scheme has no resolver (once its grace
    // period is over; this one has none).
    Status status = failedCall(impatientChannel(target));
    assertEquals(Status.Code.UNAVAILABLE, status.getCode());
    assertEquals(
        "no resolver for scheme 'dns' deployed: install and start the bundle providing "
            + "it (a dev.switchboard.api.spi.ResolverProvider service with resolver.scheme=dns)",
        status.getDescription());

    dns.start();
    awaitRegistration(
        ResolverRegistry.getDefaultRegistry(), "dns", r -> r != null, "dns to return");
    awaitWiring(conn, w -> resolverIs(w, ChannelWiring.State.ACTIVE), "dns to resolve again");
    assertEquals("backend-0", InFramework.callId(conn));
    assertEquals("backend-0", callWhenReady(channel(target)));
  }

  @Test
  public void transportLeavingDrainsInFlightCallsAndFailsNewConnectionsNamingIt() throws Exception {
    Server server = backend("backend-0");
    String target = "127.0.0.1:" + server.port();
    ClientConn conn = channel(target);
    RecordingListener<StringValue> inFlight = new RecordingListener<>();
    ClientStream<StringValue, StringValue> stream =
        conn.newStream(
            EchoService.BIDI, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
    stream.start(inFlight, new Metadata());
    stream.request(Integer.MAX_VALUE);
    stream.sendMessage(str("before"));
    assertEquals("before", inFlight.next().getValue());

    Bundle netty = InFramework.bundle(ctx, "transport-netty");
    netty.stop();
    awaitRegistration(
        TransportRegistry.getDefaultRegistry(), "netty", r -> r == null, "netty to leave");

    // The call that was in flight finishes normally on its connection.
    stream.sendMessage(str("after"));
    assertEquals("after", inFlight.next().getValue());
    stream.halfClose();
    Status drained = inFlight.awaitClose();
    assertTrue("in-flight call drained: " + drained, drained.isOk());

    // A new connection cannot be made, and the status says which transport is missing (once the
    // grace period is over; this channel has none, ProvidersArrivingIT shows the wait).
    Status status = failedCall(impatientChannel(target));
    assertEquals(status.toString(), Status.Code.UNAVAILABLE, status.getCode());
    assertTrue(
        status.toString(),
        status
            .getDescription()
            .startsWith(
                "no transport 'netty' " + "deployed: install and start the bundle providing it"));

    netty.start();
    awaitRegistration(
        TransportRegistry.getDefaultRegistry(), "netty", r -> r != null, "netty to return");
    assertEquals("backend-0", callWhenReady(channel(target)));
  }

  @Test
  public void codecLeavingFailsCallsNamingItUntilItIsBack() throws Exception {
    Server server = backend("backend-0");
    ClientConn conn = channel("127.0.0.1:" + server.port());
    assertEquals("backend-0", InFramework.callId(conn));

    Bundle proto = InFramework.bundle(ctx, "codec-proto");
    proto.stop();
    awaitRegistration(
        CodecRegistry.getDefaultRegistry(), "proto", r -> r == null, "proto to leave");
    Status status = failedCall(conn);
    assertEquals(status.toString(), Status.Code.INTERNAL, status.getCode());
    assertTrue(status.toString(), status.getDescription().contains("'proto'"));

    proto.start();
    awaitRegistration(
        CodecRegistry.getDefaultRegistry(), "proto", r -> r != null, "proto to return");
    assertEquals("backend-0", InFramework.callId(conn));
  }

  private static boolean resolverIs(ChannelWiring w, ChannelWiring.State state) {
    ChannelWiring.Component resolver = w.resolver();
    return resolver != null
        && resolver.name().equals("dns")
        && resolver.state() == state
        && resolver.origin() != null
        && resolver.origin().startsWith("bundle dev.switchboard.resolver.dns ");
  }

  /** A call that must fail; returns its status. */
  private static Status failedCall(ClientConn conn) throws Exception {
    try {
      String answer = InFramework.callId(conn);
      fail("call succeeded (answered by " + answer + "); wiring:\n" + conn.describeWiring());
      return null;
    } catch (dev.switchboard.api.StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  /** A call that waits for the channel to be ready (it may be backing off after a failure). */
  private static String callWhenReady(ClientConn conn) throws Exception {
    return Loopback.unary(
            conn,
            EchoService.UNARY,
            str("id"),
            CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(20, TimeUnit.SECONDS))
        .getValue();
  }
}
