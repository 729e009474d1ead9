package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.UnixAbstractAddress;
import dev.switchboard.api.transport.TransportAttributes;
import dev.switchboard.clientconn.ClientConns;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels and a server over a Unix domain socket file, end to end on the class path: every target
 * form of gRPC naming and the address-list overload reach one server that also listens on TCP. The
 * class path here has no epoll, so sockets are by NIO, which has no abstract namespace: a {@code
 * unix-abstract:} channel fails its calls saying so (transport-netty's UnixSocketTest covers epoll
 * and the abstract namespace; FelixEpollIT both inside OSGi).
 */
class UnixSocketsEndToEndTest {
  @TempDir Path dir;

  private Path file;
  private Server server;
  private final BlockingQueue<ServerCall<?, ?>> calls = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    file = dir.resolve("echo.sock");
    server =
        Loopback.start(
            new EchoService("uds"),
            ServerOptions.newBuilder()
                .insecure()
                .listen(UnixDomainSocketAddress.of(file))
                .intercept(recording()));
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
    assertTrue(Files.notExists(file), "the server removes its socket file");
  }

  @Test
  void everyTargetFormReachesTheServer() throws Exception {
    List<SocketAddress> listening = server.listenAddresses();
    assertEquals(UnixDomainSocketAddress.of(file), listening.get(0));
    assertInstanceOf(InetSocketAddress.class, listening.get(1));

    Path relative = Path.of("").toAbsolutePath().relativize(file);
    for (String target :
        List.of("unix://" + file, "unix:" + file, "unix:" + relative, Loopback.target(server))) {
      try (ClientConn conn = ClientConns.newClient(target, Loopback.insecure().build())) {
        assertEquals("uds", unary(conn), target);
        ServerCall<?, ?> call = calls.poll(10, TimeUnit.SECONDS);
        Attributes attrs = call.getAttributes();
        if (target.startsWith("unix")) {
          assertEquals("localhost", call.getAuthority(), target);
          assertEquals(
              UnixDomainSocketAddress.of(file), attrs.get(TransportAttributes.LOCAL_ADDRESS));
          assertInstanceOf(
              UnixDomainSocketAddress.class, attrs.get(TransportAttributes.REMOTE_ADDRESS));
          assertTrue(conn.describeWiring().toString().contains("sockets by NIO"), target);
        } else {
          assertInstanceOf(
              InetSocketAddress.class, attrs.get(TransportAttributes.REMOTE_ADDRESS), target);
        }
      }
    }
    try (ClientConn conn =
        ClientConns.newClient(
            List.of(UnixDomainSocketAddress.of(file)), Loopback.insecure().build())) {
      assertEquals("uds", unary(conn));
    }
  }

  @Test
  void abstractTargetsNeedEpollWhichThisClassPathLacks() throws Exception {
    try (ClientConn conn =
        ClientConns.newClient("unix-abstract:switchboard-e2e", Loopback.insecure().build())) {
      Status s =
          Loopback.call(
                  conn,
                  EchoService.UNARY,
                  CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                  new Metadata(),
                  str("id"))
              .awaitClose();
      assertEquals(Status.Code.UNAVAILABLE, s.getCode(), s.toString());
      assertTrue(s.getDescription().contains("needs Netty's epoll transport"), s.getDescription());
      assertTrue(s.getDescription().contains(UnixAbstractAddress.of("switchboard-e2e").toString()));
    }
  }

  private static String unary(ClientConn conn) throws Exception {
    return Loopback.unary(
            conn,
            EchoService.UNARY,
            str("id"),
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS))
        .getValue();
  }

  private ServerInterceptor recording() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCallListener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        calls.add(call);
        return next.startCall(call, headers);
      }
    };
  }
}
