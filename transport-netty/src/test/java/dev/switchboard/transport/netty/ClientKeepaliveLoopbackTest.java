package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.ClientKeepalive;
import dev.switchboard.api.Status;
import dev.switchboard.api.channelz.SocketStats;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.transport.netty.TestClient.Call;
import dev.switchboard.transport.netty.TestClient.Connection;
import dev.switchboard.transport.netty.TestClient.RecordingTransportListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client keepalive over 127.0.0.1, with times below the public 10 s minimum (a factory made for
 * tests): a dead server is detected within time + timeout, a live one is kept, and a server that
 * finds the PINGs too frequent makes the channel's next connection ping half as often.
 */
class ClientKeepaliveLoopbackTest {
  private static final Duration TIME = Duration.ofMillis(200);
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private NettyTransportProvider provider;
  private NettyClientTransportFactory factory;
  private final List<ClientTransport> transports = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void setUp() {
    provider = new NettyTransportProvider();
    factory =
        new NettyClientTransportFactory(
            provider.eventLoops(), provider.channels(), null, "plaintext (test)", 0);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (ClientTransport t : transports) {
      t.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
    factory.close();
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void deadServerIsDetectedWithinTimePlusTimeoutAndTheCallFails() throws Exception {
    ServerSocket listen = listen();
    Connection c =
        start(
            listen, ClientKeepalive.newBuilder().time(TIME).timeout(TIMEOUT).build()); // calls only
    try (RawHttp2Connection server = RawHttp2Connection.accept(listen, false)) {
      c.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      long readyAt = System.nanoTime();
      Call call = c.call("test/Hold"); // the server reads nothing more and answers nothing
      Status status = call.awaitClosed().status();
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyAt);
      assertCode(Status.UNAVAILABLE, status);
      assertTrue(status.getDescription().contains("keepalive"), status.toString());
      assertTrue(
          elapsedMillis >= TIME.plus(TIMEOUT).toMillis() - 50,
          "closed after " + elapsedMillis + " ms, before time + timeout");
      assertTrue(elapsedMillis < 5_000, "took " + elapsedMillis + " ms");
      Status shutdown = c.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertCode(Status.UNAVAILABLE, shutdown);
      assertTrue(shutdown.getDescription().contains("keepalive"), shutdown.toString());
      c.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void liveServerThatOnlyAnswersPingsKeepsTheConnection() throws Exception {
    ServerSocket listen = listen();
    Connection c =
        start(
            listen,
            ClientKeepalive.newBuilder()
                .time(TIME)
                .timeout(TIMEOUT)
                .permitWithoutCalls(true)
                .build());
    RawHttp2Connection server = RawHttp2Connection.accept(listen, false);
    closeables.add(server);
    AtomicInteger pings = new AtomicInteger();
    Thread reader =
        new Thread(
            () -> {
              try {
                while (true) {
                  if (server.readFrame().type() == RawHttp2Connection.PING) {
                    pings.incrementAndGet(); // and acknowledged by readFrame
                  }
                }
              } catch (IOException closed) {
                // the test is over
              }
            },
            "raw-server-reader");
    reader.setDaemon(true);
    reader.start();
    c.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThrows(
        TimeoutException.class,
        () -> c.listener().shutdown.get(8 * TIME.toMillis(), TimeUnit.MILLISECONDS),
        "a server that answers PINGs is alive");
    assertTrue(pings.get() >= 3, "keepalive PINGs sent without calls: " + pings.get());
    // Channelz counts them (read on the event loop); no call, so no stream and no message.
    SocketStats stats = c.transport().channelzSocket().stats();
    assertTrue(stats.counters().keepAlivesSent() >= 3, "counted: " + stats.counters());
    assertEquals(0, stats.counters().streamsStarted());
    assertEquals(0, stats.counters().messagesSent());
    assertTrue(stats.localFlowControlWindow() > 0);
    assertTrue(stats.remote() != null && stats.local() != null);
  }

  @Test
  void tooManyPingsDoublesTheKeepaliveTimeOfTheChannelsNextConnection() throws Exception {
    TestServer server = TestServer.start(provider, 1 << 20); // default policy: 5 min, with calls
    closeables.add(
        () -> {
          server.close();
          server.serverShutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        });
    ClientKeepalive keepalive =
        ClientKeepalive.newBuilder()
            .time(Duration.ofMillis(100))
            .timeout(Duration.ofSeconds(5))
            .permitWithoutCalls(true)
            .build();
    Connection first = start(server.address(), keepalive);
    first.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Status goAway = first.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertCode(Status.UNAVAILABLE, goAway);
    assertTrue(goAway.getDescription().contains("too_many_pings"), goAway.toString());
    assertEquals(
        TimeUnit.MILLISECONDS.toNanos(100),
        ((NettyClientTransport) first.transport()).keepalive().timeNanos());

    Connection second = start(server.address(), keepalive);
    second.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertEquals(
        TimeUnit.MILLISECONDS.toNanos(200),
        ((NettyClientTransport) second.transport()).keepalive().timeNanos(),
        "the channel's next connection pings half as often");
    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    Call call = second.call("test/Echo").unary(hello, 1);
    assertArrayEquals(hello, call.listener().nextMessage());
    assertCode(Status.OK, call.awaitClosed().status());
  }

  // ---- helpers ----

  private ServerSocket listen() throws IOException {
    ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    closeables.add(s);
    return s;
  }

  private Connection start(ServerSocket listen, ClientKeepalive keepalive) {
    return start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), listen.getLocalPort()), keepalive);
  }

  private Connection start(InetSocketAddress address, ClientKeepalive keepalive) {
    ClientTransport transport =
        factory.newClientTransport(
            address,
            new ClientTransportOptions(
                "localhost:1234",
                "switchboard-test/0.1",
                Duration.ofSeconds(5),
                8192,
                new CompressorRegistry(),
                Attributes.EMPTY,
                keepalive));
    RecordingTransportListener listener = new RecordingTransportListener();
    transport.start(listener);
    transports.add(transport);
    return new Connection(transport, listener);
  }
}
