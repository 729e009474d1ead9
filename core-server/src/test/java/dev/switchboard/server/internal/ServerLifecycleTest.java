package dev.switchboard.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerKeepalive;
import dev.switchboard.api.ServerMethodDefinition;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.testing.CapturedLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerLifecycleTest {
  private final ServerFixture f = new ServerFixture();

  @Test
  void startPassesOptionsToTransport() {
    f.start(f.options().maxInboundMessageSize(1234).maxConcurrentCallsPerConnection(7));
    assertEquals(1234, f.transport.options.maxInboundMessageSize());
    assertEquals(7, f.transport.options.maxConcurrentCallsPerConnection());
    assertEquals(List.of(new InetSocketAddress(0)), f.transport.options.addresses());
    assertEquals(4321, f.server.port());
    assertEquals(List.of(new InetSocketAddress("127.0.0.1", 4321)), f.server.listenAddresses());
  }

  @Test
  void startPassesFloodLimitsToTransport() {
    f.start(
        f.options()
            .maxQueuedControlFrames(55)
            .maxRstStreamsPerWindow(66, Duration.ofSeconds(7))
            .permitKeepAliveTime(Duration.ofSeconds(8))
            .permitKeepAliveWithoutCalls(true)
            .handshakeTimeout(Duration.ofSeconds(9)));
    ServerTransportOptions o = f.transport.options;
    assertEquals(55, o.maxQueuedControlFrames());
    assertEquals(66, o.maxRstStreamsPerWindow());
    assertEquals(Duration.ofSeconds(7), o.rstStreamWindow());
    assertEquals(Duration.ofSeconds(8), o.permitKeepAliveTime());
    assertTrue(o.permitKeepAliveWithoutCalls());
    assertEquals(Duration.ofSeconds(9), o.handshakeTimeout());
  }

  @Test
  void startPassesKeepaliveToTransport() {
    ServerKeepalive keepalive =
        ServerKeepalive.newBuilder()
            .time(Duration.ofMinutes(1))
            .maxConnectionAge(Duration.ofMinutes(30))
            .maxConnectionAgeGrace(Duration.ofSeconds(30))
            .build();
    f.start(f.options().keepalive(keepalive));
    assertEquals(keepalive, f.transport.options.keepalive());
  }

  @Test
  void floodLimitsHaveFiniteDefaults() {
    f.start(f.options());
    ServerTransportOptions o = f.transport.options;
    assertEquals(1000, o.maxConcurrentCallsPerConnection());
    assertEquals(Duration.ofSeconds(20), o.handshakeTimeout());
    assertEquals(10_000, o.maxQueuedControlFrames());
    assertEquals(1000, o.maxRstStreamsPerWindow());
    assertEquals(Duration.ofSeconds(10), o.rstStreamWindow());
    assertEquals(Duration.ofMinutes(5), o.permitKeepAliveTime());
    assertFalse(o.permitKeepAliveWithoutCalls());
    assertEquals(ServerKeepalive.DEFAULT, o.keepalive());
  }

  @Test
  void floodLimitsRejectUnsafeValues() {
    ServerOptions.Builder b = ServerOptions.newBuilder();
    assertThrows(IllegalArgumentException.class, () -> b.maxQueuedControlFrames(0));
    assertThrows(
        IllegalArgumentException.class, () -> b.maxRstStreamsPerWindow(0, Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class, () -> b.maxRstStreamsPerWindow(1, Duration.ofMillis(999)));
    assertThrows(
        IllegalArgumentException.class, () -> b.permitKeepAliveTime(Duration.ofSeconds(-1)));
  }

  @Test
  void missingTransportFailsStartNamingIt() {
    ServerImpl server =
        new ServerImpl(f.options().transport("netty").build(), f.clock.scheduledExecutor());
    IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
    assertEquals(
        "no transport 'netty' deployed (deployed: [fake]): register a "
            + "TransportProvider for 'netty' in the TransportRegistry in use",
        e.getMessage());
    assertFalse(server.isShutdown(), "a start refused for want of a transport can be retried");
  }

  @Test
  void startWithoutTheCodecsItsMethodsNeedSaysSo() throws IOException {
    CodecRegistry none = new CodecRegistry();
    try (CapturedLog log = new CapturedLog(ServerImpl.class.getName())) {
      ServerImpl server =
          new ServerImpl(f.options().codecRegistry(none).build(), f.clock.scheduledExecutor());
      server.start();
      assertEquals(
          List.of(
              "server on [0.0.0.0/0.0.0.0:0]: no codec 'proto' deployed (deployed: "
                  + "[]); calls to 4 method(s) fail INTERNAL until one is: test.Echo/Chat, "
                  + "test.Echo/Numbers, test.Echo/Unary and 1 more. To deploy it: register a "
                  + "CodecProvider for 'proto' in the CodecRegistry in use"),
          log.messages(System.Logger.Level.WARNING));
      server.shutdownNow();
    }
  }

  @Test
  void startWithTheCodecsItNeedsIsQuiet() throws IOException {
    try (CapturedLog log = new CapturedLog(ServerImpl.class.getName())) {
      f.start();
      assertEquals(List.of(), log.messages(System.Logger.Level.WARNING));
    }
    assertEquals(
        List.of(),
        CodecCheck.missing(
            List.of(new ServerMethodDefinition<>(ServerFixture.EXPLICIT, f.explicit)),
            new CodecRegistry()),
        "explicit marshallers");
  }

  @Test
  void addressesNeedStart() {
    ServerImpl server = new ServerImpl(f.options().build(), f.clock.scheduledExecutor());
    assertThrows(IllegalStateException.class, server::listenAddresses);
  }

  @Test
  void startTwiceIsRefused() {
    f.start();
    assertThrows(IllegalStateException.class, f.server::start);
  }

  @Test
  void failedBindLeavesServerTerminated() {
    f.transport.startFailure = new IOException("address in use");
    ServerImpl server = new ServerImpl(f.options().build(), f.clock.scheduledExecutor());
    IOException e = assertThrows(IOException.class, server::start);
    assertEquals("address in use", e.getMessage());
    assertTrue(server.isTerminated());
  }

  @Test
  void twoServicesOfTheSameNameAreRejected() {
    ServiceDefinition again =
        ServiceDefinition.newBuilder("test.Echo")
            .addMethod(ServerFixture.UNARY, new RecordingHandler())
            .build();
    ServerOptions options = f.options().addService(again).build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ServerImpl(options, f.clock.scheduledExecutor()));
    assertEquals("service test.Echo is added twice", e.getMessage());
  }

  @Test
  void shutdownBeforeStartTerminates() {
    ServerImpl server = new ServerImpl(f.options().build(), f.clock.scheduledExecutor());
    server.shutdown();
    assertTrue(server.isShutdown());
    assertTrue(server.isTerminated());
    assertThrows(IllegalStateException.class, server::start);
  }

  @Test
  void gracefulShutdownLetsInFlightCallsFinish() throws Exception {
    f.start();
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);
    stream.clientSends("hi");
    stream.clientHalfCloses();

    f.server.shutdown();
    assertTrue(f.transport.shutdownCalled, "listener stopped");
    assertTrue(f.connection.shutdown, "connection told to GOAWAY");
    assertTrue(f.server.isShutdown());
    assertFalse(f.server.isTerminated(), "a call is still in flight");
    assertFalse(f.server.awaitTermination(0, TimeUnit.SECONDS));

    f.clock.runPendingTasks();
    ServerCall<String, String> call = f.unary.call(0);
    call.sendMessage("bye");
    call.close(Status.OK, new Metadata());
    f.connection.terminateIfIdle();
    f.clock.runPendingTasks();

    assertEquals(List.of("message:proto:hi", "halfClose", "complete"), f.unary.listener(0).events);
    assertEquals(Status.OK, stream.closeStatus);
    assertTrue(f.server.isTerminated());
    assertTrue(f.server.awaitTermination(0, TimeUnit.SECONDS));
  }

  @Test
  void shutdownNowCancelsInFlightCalls() {
    f.start();
    FakeServerStream stream = f.startCall(ServerFixture.CHAT);

    f.server.shutdownNow();
    assertEquals(
        Status.UNAVAILABLE.withDescription("server shutting down"), f.connection.shutdownNowStatus);
    assertSame(f.connection.shutdownNowStatus, stream.cancelStatus);
    assertTrue(f.server.isTerminated());

    f.clock.runPendingTasks();
    assertEquals(List.of("cancel"), f.chat.listener(0).events);
    assertTrue(f.chat.call(0).isCancelled());
  }

  @Test
  void revokedTransportShutsTheServerDownNowAndReleasesIt() {
    int[] released = new int[1];
    f.transports.deregister(f.transport);
    f.transports.register(f.transport, 0, "bundle test.transport 1.0.0", () -> released[0]++);
    f.start();
    FakeServerStream stream = f.startCall(ServerFixture.CHAT);

    f.transports.deregister(f.transport);
    assertFalse(f.server.isShutdown(), "leaving alone does not stop a server");
    assertEquals(0, released[0]);
    assertEquals(1, f.transports.revoke(f.transport));
    assertTrue(f.transport.shutdownCalled, "listener stopped");
    Status left =
        Status.UNAVAILABLE.withDescription(
            "transport provider 'fake' from bundle test.transport 1.0.0 left; the server was "
                + "shut down");
    assertEquals(left, f.connection.shutdownNowStatus);
    assertSame(f.connection.shutdownNowStatus, stream.cancelStatus);
    assertTrue(f.server.isShutdown());
    assertTrue(f.server.isTerminated());
    assertEquals(1, released[0], "released once terminated");
    assertEquals(left, f.transport.accept().shutdownNowStatus, "a late connection too");
  }

  @Test
  void shutdownNowAfterShutdownCancelsStragglers() {
    f.start();
    FakeServerStream stream = f.startCall(ServerFixture.CHAT);
    f.server.shutdown();
    assertNull(stream.cancelStatus);
    assertFalse(f.server.isTerminated());

    f.server.shutdownNow();
    assertEquals(Status.Code.UNAVAILABLE, stream.cancelStatus.getCode());
    assertTrue(f.server.isTerminated());
  }

  @Test
  void connectionsAcceptedAfterShutdownAreShutDown() {
    f.start();
    f.server.shutdown();
    FakeConnection late = f.transport.accept();
    assertTrue(late.shutdown);
    assertNull(late.shutdownNowStatus);

    f.server.shutdownNow();
    FakeConnection later = f.transport.accept();
    assertEquals(Status.Code.UNAVAILABLE, later.shutdownNowStatus.getCode());
  }

  @Test
  void awaitTerminationWakesWhenLastConnectionEnds() throws Exception {
    f.start();
    f.server.shutdown();
    CountDownLatch waiting = new CountDownLatch(1);
    boolean[] result = new boolean[1];
    Thread waiter =
        new Thread(
            () -> {
              waiting.countDown();
              try {
                f.server.awaitTermination();
                result[0] = f.server.isTerminated();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    assertTrue(waiting.await(5, TimeUnit.SECONDS));

    f.connection.terminateIfIdle();
    waiter.join(TimeUnit.SECONDS.toMillis(5));
    assertFalse(waiter.isAlive());
    assertTrue(result[0]);
  }

  @Test
  void closeIsShutdownNow() {
    f.start();
    f.startCall(ServerFixture.CHAT);
    f.server.close();
    assertTrue(f.server.isTerminated());
  }

  @Test
  void providersLeavingAreReleasedOnlyOnceTheServerAndItsCallsAreDone() throws Exception {
    boolean[] transportReleased = {false};
    boolean[] codecReleased = {false};
    f.transports.deregister(f.transport);
    f.transports.register(f.transport, 0, "test", () -> transportReleased[0] = true);
    PrefixCodec proto = new PrefixCodec("proto");
    f.codecs.register(proto, 10, "test", () -> codecReleased[0] = true); // outranks the fixture's
    f.start();
    FakeServerStream stream = f.startCall(ServerFixture.UNARY);

    f.transports.deregister(f.transport);
    f.codecs.deregister(proto);
    assertFalse(transportReleased[0], "the running server holds its transport");
    assertFalse(codecReleased[0], "the call in flight holds its codec");

    stream.clientSends("hi");
    stream.clientHalfCloses();
    f.clock.runPendingTasks();
    ServerCall<String, String> call = f.unary.call(0);
    call.sendMessage("bye");
    call.close(Status.OK, new Metadata());
    f.clock.runPendingTasks();
    assertEquals(
        List.of("message:proto:hi", "halfClose", "complete"),
        f.unary.listener(0).events,
        "the call used the leased codec to the end");
    assertTrue(codecReleased[0], "released once the call ended");
    assertFalse(transportReleased[0]);

    f.server.shutdown();
    f.connection.terminateIfIdle();
    assertTrue(f.server.isTerminated());
    assertTrue(transportReleased[0], "released once the server terminated");
  }
}
