package dev.switchboard.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 for tests, on plain sockets and threads: each accepted connection is
 * relayed to a fixed target, byte for byte, both ways. {@link #blackhole()} silences the
 * connections open at that moment: their bytes are read and dropped in both directions while their
 * sockets stay open, as when a peer dies or a middlebox loses the connection's state without a
 * reset. Connections accepted later are relayed normally. Thread-safe; {@link #close()} closes
 * every socket.
 */
final class BlackholeRelay implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Pair> pairs = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private BlackholeRelay(int targetPort) throws IOException {
    target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, "relay-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@return a started relay on 127.0.0.1 and an ephemeral port to 127.0.0.1:targetPort} */
  static BlackholeRelay start(int targetPort) throws IOException {
    return new BlackholeRelay(targetPort);
  }

  /** {@return {@code 127.0.0.1:port} of the relay, as a channel target} */
  String target() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** {@return how many connections the relay has accepted} */
  int accepted() {
    return pairs.size();
  }

  /** Drops every byte of the connections open now, keeping their sockets open. */
  void blackhole() {
    for (Pair p : pairs) {
      p.silent = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Pair p : pairs) {
      p.close();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 10_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      Pair p = new Pair(client, upstream);
      pairs.add(p);
      p.start();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  /** One relayed connection: a pump thread per direction. */
  private static final class Pair {
    final Socket client;
    final Socket upstream;
    volatile boolean silent;

    Pair(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() {
      pump(client, upstream, "up");
      pump(upstream, client, "down");
    }

    private void pump(Socket from, Socket to, String direction) {
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[16384];
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  int n;
                  while ((n = in.read(buf)) >= 0) {
                    if (!silent) {
                      out.write(buf, 0, n);
                      out.flush();
                    }
                  }
                } catch (IOException e) {
                  // a side closed
                } finally {
                  close();
                }
              },
              "relay-" + direction + "-" + from.getPort());
      t.setDaemon(true);
      t.start();
    }

    void close() {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }
}
