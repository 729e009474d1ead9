package dev.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP CONNECT proxy on 127.0.0.1 for tests, on plain sockets and threads: reads a {@code
 * CONNECT host:port} request (head at most 8 KiB), records the target as written, checks {@code
 * Proxy-Authorization: Basic} when credentials are required (407 otherwise), answers a configured
 * refusal if any, else connects to the target (host names looked up through {@link #mapHost} first,
 * then the system) and relays bytes both ways until either side closes. Thread-safe; {@link
 * #close()} closes every socket it holds.
 */
public final class TestHttpProxy implements AutoCloseable {
  private static final int MAX_HEAD = 8192;

  private final ServerSocket server;
  private final List<String> connectTargets = new CopyOnWriteArrayList<>();
  private final Map<String, String> hosts = new ConcurrentHashMap<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile String expectedAuthorization; // null: none required
  private volatile String refusal; // e.g. "403 Forbidden"; null: accept
  private volatile boolean closed;

  private TestHttpProxy() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, "test-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * {@return a started proxy on 127.0.0.1 and an ephemeral port, accepting every CONNECT}
   *
   * @throws IOException when the port cannot be bound
   */
  public static TestHttpProxy start() throws IOException {
    return new TestHttpProxy();
  }

  /**
   * Requires {@code Proxy-Authorization: Basic} with these credentials; other requests get {@code
   * 407 Proxy Authentication Required}.
   *
   * @param username the user name
   * @param password the password
   * @return this proxy
   */
  public TestHttpProxy requireCredentials(String username, String password) {
    String token =
        Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    expectedAuthorization = "Basic " + token;
    return this;
  }

  /**
   * Answers every (authorized) CONNECT with this status instead of opening the tunnel.
   *
   * @param statusLine status code and reason, such as {@code "403 Forbidden"}
   * @return this proxy
   */
  public TestHttpProxy refuseWith(String statusLine) {
    refusal = Objects.requireNonNull(statusLine, "statusLine");
    return this;
  }

  /**
   * Resolves {@code name} to {@code address} for the tunnels it opens, so tests can name hosts the
   * client cannot resolve.
   *
   * @param name a host name as the CONNECT request writes it
   * @param address the IP literal to connect to instead
   * @return this proxy
   */
  public TestHttpProxy mapHost(String name, String address) {
    hosts.put(name.toLowerCase(Locale.ROOT), address);
    return this;
  }

  /** {@return the port it listens on} */
  public int port() {
    return server.getLocalPort();
  }

  /** {@return {@code 127.0.0.1:port}} */
  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  /** {@return the {@code host:port} of every CONNECT request received, in order} */
  public List<String> connectTargets() {
    return List.copyOf(connectTargets);
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Socket s : sockets) {
      closeQuietly(s);
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
      sockets.add(client);
      Thread t = new Thread(() -> serve(client), "test-proxy-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      String head = readHead(in);
      if (head == null) {
        answer(out, "431 Request Header Fields Too Large");
        return;
      }
      String[] lines = head.split("\r\n");
      String[] request = lines[0].split(" ");
      if (request.length != 3 || !request[0].equals("CONNECT")) {
        answer(out, "405 Method Not Allowed");
        return;
      }
      String target = request[1];
      connectTargets.add(target);
      String expected = expectedAuthorization;
      if (expected != null && !expected.equals(header(lines, "proxy-authorization"))) {
        answer(
            out, "407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"");
        return;
      }
      if (refusal != null) {
        answer(out, refusal);
        return;
      }
      int colon = target.lastIndexOf(':');
      String host = target.substring(0, colon);
      if (host.startsWith("[")) {
        host = host.substring(1, host.length() - 1);
      }
      int port = Integer.parseInt(target.substring(colon + 1));
      try {
        upstream = new Socket();
        sockets.add(upstream);
        upstream.connect(
            new InetSocketAddress(hosts.getOrDefault(host.toLowerCase(Locale.ROOT), host), port),
            5000);
      } catch (IOException e) {
        answer(out, "502 Bad Gateway");
        return;
      }
      out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Socket up = upstream;
      Thread back = new Thread(() -> relay(up, client), "test-proxy-relay");
      back.setDaemon(true);
      back.start();
      relay(client, upstream);
    } catch (IOException | RuntimeException e) {
      // the test sees the client's error
    } finally {
      closeQuietly(client);
      if (upstream != null) {
        closeQuietly(upstream);
      }
    }
  }

  private void relay(Socket from, Socket to) {
    byte[] buf = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // either side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** The request head without the final empty line, or null when longer than 8 KiB. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the request head");
      }
      if (head.size() >= MAX_HEAD) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String s = head.toString(StandardCharsets.ISO_8859_1);
    return s.substring(0, s.length() - 4);
  }

  private static String header(String[] lines, String name) {
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase(name)) {
        return lines[i].substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static void answer(OutputStream out, String statusAndHeaders) throws IOException {
    out.write(
        ("HTTP/1.1 " + statusAndHeaders + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
