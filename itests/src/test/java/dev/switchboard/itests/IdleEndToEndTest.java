package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Server;
import dev.switchboard.clientconn.ClientConns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A channel going IDLE closes its TCP connection, and the next call reconnects. */
class IdleEndToEndTest {
  @Test
  void idleChannelClosesItsConnectionAndTheNextCallReconnects() throws Exception {
    Server server = Loopback.start(new EchoService("idle"));
    try (Relay relay = new Relay(server.port());
        ClientConn conn =
            ClientConns.newClient(
                "127.0.0.1:" + relay.port(),
                Loopback.insecure().idleTimeout(Duration.ofSeconds(1)).build())) {
      assertEquals(
          "a", Loopback.unary(conn, EchoService.UNARY, str("a"), CallOptions.DEFAULT).getValue());
      assertEquals(1, relay.connections.size());

      // Idle for the timeout: the channel goes IDLE and closes its one connection.
      awaitState(conn, ConnectivityState.IDLE);
      assertTrue(
          relay.connections.get(0).closed.await(10, TimeUnit.SECONDS),
          "the TCP connection was closed");

      assertEquals(
          "b", Loopback.unary(conn, EchoService.UNARY, str("b"), CallOptions.DEFAULT).getValue());
      assertEquals(2, relay.connections.size(), "the call made a new connection");

      conn.enterIdle(); // the same on demand
      awaitState(conn, ConnectivityState.IDLE);
      assertTrue(relay.connections.get(1).closed.await(10, TimeUnit.SECONDS));
      assertEquals(
          "c", Loopback.unary(conn, EchoService.UNARY, str("c"), CallOptions.DEFAULT).getValue());
      assertEquals(3, relay.connections.size());
    } finally {
      server.shutdownNow();
    }
  }

  private static void awaitState(ClientConn conn, ConnectivityState wanted)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    ConnectivityState now = conn.getState(false);
    while (now != wanted && System.nanoTime() < until) {
      conn.waitForStateChange(now, 1, TimeUnit.SECONDS);
      now = conn.getState(false);
    }
    assertEquals(wanted, now);
  }

  /**
   * A TCP relay on 127.0.0.1 in front of the server: it counts the connections the client makes and
   * notices when one is closed (the server does not close idle connections by default, so the
   * client did).
   */
  private static final class Relay implements AutoCloseable {
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final ServerSocket listener;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    Relay(int target) throws IOException {
      this.target = target;
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::acceptLoop, "relay-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    private void acceptLoop() {
      while (!listener.isClosed()) {
        try {
          Socket client = listener.accept();
          Socket upstream = new Socket();
          upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
          sockets.add(client);
          sockets.add(upstream);
          Connection c = new Connection();
          connections.add(c);
          pump(client, upstream, c.closed);
          pump(upstream, client, c.closed);
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    /** Copies {@code from} to {@code to}; at the end closes both and counts {@code closed} down. */
    private static void pump(Socket from, Socket to, CountDownLatch closed) {
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[8192];
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  int n;
                  while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                  }
                } catch (IOException e) {
                  // the other direction closed the sockets
                } finally {
                  closeQuietly(from);
                  closeQuietly(to);
                  closed.countDown();
                }
              },
              "relay-pump");
      t.setDaemon(true);
      t.start();
    }

    private static void closeQuietly(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket s : sockets) {
        closeQuietly(s);
      }
    }
  }

  /** One client connection through the relay. */
  private static final class Connection {
    /** Counted down when the connection is closed (either direction ends). */
    final CountDownLatch closed = new CountDownLatch(1);
  }
}
