package dev.switchboard.transport.netty;

import dev.switchboard.api.FlowControl;
import dev.switchboard.api.FrameLimits;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerKeepalive;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.ServerConnection;
import dev.switchboard.api.transport.ServerConnectionListener;
import dev.switchboard.api.transport.ServerTransport;
import dev.switchboard.api.transport.ServerTransportListener;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.api.transport.ServerTransportStream;
import dev.switchboard.api.transport.ServerTransportStreamListener;
import dev.switchboard.testing.UncaughtErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server transport on 127.0.0.1 with a small test core. Every stream is recorded as a {@link
 * Call}; what the server does depends on the method:
 *
 * <ul>
 *   <li>{@code test/Echo}: echoes each request message (headers first, echoing {@code x-req} as
 *       {@code x-echo}; compressed with gzip when {@code x-compress: gzip}), then closes OK with an
 *       {@code x-trailer} trailer when the client half-closes.
 *   <li>{@code test/Fail}: closes at once (trailers-only) with {@link #FAIL_STATUS} and a binary
 *       trailer.
 *   <li>{@code test/Stream}: reads one request (a 4-byte count and a 4-byte size) and answers with
 *       that many messages, each filled with its index.
 *   <li>{@code test/Hold}: nothing; the test drives the call.
 * </ul>
 */
final class TestServer implements ServerTransportListener, AutoCloseable {
  static final Status FAIL_STATUS =
      Status.INVALID_ARGUMENT.withDescription("bad request: héllo wörld ✓ 日本 🚀 100%");
  static final byte[] FAIL_DETAIL = {0, 1, 2, (byte) 0xff};

  final ServerTransport transport;
  final BlockingQueue<ServerConnection> connections = new LinkedBlockingQueue<>();
  final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  final CompletableFuture<Void> serverShutdown = new CompletableFuture<>();
  final AtomicInteger terminatedConnections = new AtomicInteger();
  final Semaphore connectionTerminated = new Semaphore(0);

  private TestServer(ServerTransport transport) {
    this.transport = transport;
  }

  static TestServer start(NettyTransportProvider provider, int maxInboundMessageSize)
      throws IOException {
    return start(provider, maxInboundMessageSize, Duration.ofSeconds(10));
  }

  static TestServer start(
      NettyTransportProvider provider, int maxInboundMessageSize, Duration handshakeTimeout)
      throws IOException {
    return start(
        provider, TransportCredentials.insecure(), maxInboundMessageSize, handshakeTimeout);
  }

  static TestServer start(
      NettyTransportProvider provider,
      TransportCredentials credentials,
      int maxInboundMessageSize,
      Duration handshakeTimeout)
      throws IOException {
    return start(
        provider,
        new InetSocketAddress("127.0.0.1", 0),
        credentials,
        maxInboundMessageSize,
        handshakeTimeout);
  }

  /** A plaintext server listening on {@code address}. */
  static TestServer start(NettyTransportProvider provider, SocketAddress address)
      throws IOException {
    return start(
        provider,
        address,
        TransportCredentials.insecure(),
        4 * 1024 * 1024,
        Duration.ofSeconds(10));
  }

  static TestServer start(
      NettyTransportProvider provider,
      SocketAddress address,
      TransportCredentials credentials,
      int maxInboundMessageSize,
      Duration handshakeTimeout)
      throws IOException {
    ServerTransportOptions options =
        new ServerTransportOptions(
            List.of(address),
            credentials,
            maxInboundMessageSize,
            8192,
            100,
            handshakeTimeout,
            new CompressorRegistry());
    return start(provider, options);
  }

  /** A plaintext server on 127.0.0.1 with 4 MiB messages, default policies and {@code flow}. */
  static ServerTransportOptions options(FlowControl flow) {
    return new ServerTransportOptions(
        List.of(new InetSocketAddress("127.0.0.1", 0)),
        TransportCredentials.insecure(),
        4 << 20,
        8192,
        100,
        Duration.ofSeconds(10),
        new CompressorRegistry(),
        FrameLimits.DEFAULT,
        ServerOptions.DEFAULT_MAX_RST_STREAMS_PER_WINDOW,
        ServerOptions.DEFAULT_RST_STREAM_WINDOW,
        ServerOptions.DEFAULT_PERMIT_KEEPALIVE_TIME,
        false,
        ServerKeepalive.DEFAULT,
        flow);
  }

  static TestServer start(NettyTransportProvider provider, ServerTransportOptions options)
      throws IOException {
    TestServer server = new TestServer(provider.newServerTransport(options));
    server.transport.start(server);
    return server;
  }

  InetSocketAddress address() {
    return (InetSocketAddress) transport.listenAddresses().get(0);
  }

  Call nextCall() throws InterruptedException {
    Call call = calls.poll(10, TimeUnit.SECONDS);
    if (call == null) {
      throw new AssertionError("no call reached the server");
    }
    return call;
  }

  ServerConnection nextConnection() throws InterruptedException {
    ServerConnection c = connections.poll(10, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no connection reached the server");
    }
    return c;
  }

  @Override
  public ServerConnectionListener connectionCreated(ServerConnection connection) {
    connections.add(connection);
    return new ServerConnectionListener() {
      @Override
      public void streamCreated(ServerTransportStream stream, String method, Metadata headers) {
        Call call = new Call(stream, method, headers);
        stream.setListener(call);
        calls.add(call);
        call.begin();
      }

      @Override
      public void connectionTerminated() {
        terminatedConnections.incrementAndGet();
        connectionTerminated.release();
      }
    };
  }

  @Override
  public void serverShutdown() {
    serverShutdown.complete(null);
  }

  @Override
  public void close() {
    transport.shutdown();
    ServerConnection c;
    while ((c = connections.poll()) != null) {
      c.shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
    }
  }

  /** One server-side call: its stream, what arrived, and how it ended. */
  static final class Call implements ServerTransportStreamListener {
    final ServerTransportStream stream;
    final String method;
    final Metadata headers;
    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Boolean> compressedFlags = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> halfClosed = new CompletableFuture<>();
    final CompletableFuture<Status> closed = new CompletableFuture<>();
    final Semaphore ready = new Semaphore(0);
    volatile String callbackThread;

    /** The thread that created the stream (the connection's event loop). */
    final Thread createdOn = Thread.currentThread();

    Call(ServerTransportStream stream, String method, Metadata headers) {
      this.stream = stream;
      this.method = method;
      this.headers = headers;
    }

    void begin() {
      switch (method) {
        case "test/Echo", "test/Stream" -> {
          if ("gzip".equals(headers.get("x-compress"))) {
            stream.setCompression("gzip");
          }
          stream.request(1);
        }
        case "test/Fail" ->
            stream.close(FAIL_STATUS, new Metadata().putBinary("x-detail-bin", FAIL_DETAIL));
        default -> {}
      }
    }

    @Override
    public void messageRead(InputStream message, boolean compressed) {
      callbackThread = Thread.currentThread().getName();
      byte[] bytes;
      try (message) {
        bytes = ByteArrayMarshaller.INSTANCE.decode(message);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      messages.add(bytes);
      compressedFlags.add(compressed);
      if (method.equals("test/Echo")) {
        if (messages.size() == 1) {
          Metadata h = new Metadata();
          String req = headers.get("x-req");
          if (req != null) {
            h.put("x-echo", req);
          }
          stream.writeHeaders(h);
        }
        stream.writeMessage(bytes, ByteArrayMarshaller.INSTANCE);
        stream.request(1);
      } else if (method.equals("test/Stream")) {
        ByteBuffer request = ByteBuffer.wrap(bytes);
        int count = request.getInt();
        int size = request.getInt();
        stream.writeHeaders(new Metadata());
        for (int i = 0; i < count; i++) {
          byte[] reply = new byte[size + (i % 3)];
          java.util.Arrays.fill(reply, (byte) i);
          stream.writeMessage(reply, ByteArrayMarshaller.INSTANCE);
        }
        stream.close(Status.OK, new Metadata());
      }
    }

    @Override
    public void halfClosed() {
      halfClosed.complete(null);
      if (method.equals("test/Echo")) {
        stream.close(Status.OK, new Metadata().put("x-trailer", "done"));
      }
    }

    @Override
    public void closed(Status status) {
      callbackThread = Thread.currentThread().getName();
      if (!closed.complete(status)) {
        throw UncaughtErrors.failure("closed twice: " + status);
      }
    }

    @Override
    public void onReady() {
      ready.release();
    }
  }
}
