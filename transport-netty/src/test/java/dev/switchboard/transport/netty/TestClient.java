package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientKeepalive;
import dev.switchboard.api.FlowControl;
import dev.switchboard.api.FrameLimits;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportListener;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.StreamProgress;
import dev.switchboard.testing.UncaughtErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Client-side test helpers: a recording transport listener and a recording stream listener. */
final class TestClient {
  static final long TIMEOUT_SECONDS = 10;

  private TestClient() {}

  static MethodDescriptor<byte[], byte[]> method(String name) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setFullMethodName(name)
        .setType(MethodType.BIDI_STREAMING)
        .setRequestMarshaller(ByteArrayMarshaller.INSTANCE)
        .setResponseMarshaller(ByteArrayMarshaller.INSTANCE)
        .build();
  }

  static ClientTransportOptions options(Duration connectTimeout) {
    return options("localhost:1234", connectTimeout);
  }

  static ClientTransportOptions options(String authority, Duration connectTimeout) {
    return new ClientTransportOptions(
        authority,
        "switchboard-test/0.1",
        connectTimeout,
        8192,
        new CompressorRegistry(),
        Attributes.EMPTY);
  }

  /** The usual options with {@code flowControl}. */
  static ClientTransportOptions options(FlowControl flowControl) {
    ClientTransportOptions o = options(Duration.ofSeconds(5));
    return new ClientTransportOptions(
        o.authority(),
        o.userAgent(),
        o.connectTimeout(),
        o.maxInboundMetadataSize(),
        o.compressorRegistry(),
        o.addressAttributes(),
        ClientKeepalive.DISABLED,
        flowControl,
        FrameLimits.DEFAULT);
  }

  static ClientTransportFactory factory(NettyTransportProvider provider) {
    return provider.newClientTransportFactory(TransportCredentials.insecure());
  }

  /** Starts a transport to {@code address} and waits until it is ready. */
  static Connection connect(ClientTransportFactory factory, SocketAddress address)
      throws Exception {
    Connection c = connectNoWait(factory, address, Duration.ofSeconds(5));
    c.listener.ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return c;
  }

  static Connection connectNoWait(
      ClientTransportFactory factory, SocketAddress address, Duration connectTimeout) {
    return connectNoWait(factory, address, options(connectTimeout));
  }

  /** Starts a transport to {@code address} with {@code options}, without waiting. */
  static Connection connectNoWait(
      ClientTransportFactory factory, SocketAddress address, ClientTransportOptions options) {
    ClientTransport transport = factory.newClientTransport(address, options);
    RecordingTransportListener listener = new RecordingTransportListener();
    transport.start(listener);
    return new Connection(transport, listener);
  }

  /** A transport and what its listener saw. */
  record Connection(ClientTransport transport, RecordingTransportListener listener) {
    Call call(String method, CallOptions options, Metadata headers) {
      ClientTransportStream<byte[]> stream =
          transport.newStream(method(method), headers, options, ByteArrayMarshaller.INSTANCE);
      RecordingStreamListener l = new RecordingStreamListener();
      stream.start(l);
      return new Call(stream, l);
    }

    Call call(String method) {
      return call(method, CallOptions.DEFAULT, new Metadata());
    }

    /** Graceful shutdown, waiting for termination. */
    void shutdownAndAwait() throws Exception {
      transport.shutdown(Status.UNAVAILABLE.withDescription("test done"));
      listener.terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** A client stream and its listener. */
  record Call(ClientTransportStream<byte[]> stream, RecordingStreamListener listener) {
    /** Sends {@code message}, half-closes and asks for up to {@code responses} messages. */
    Call unary(byte[] message, int responses) {
      stream.request(responses);
      stream.writeMessage(message);
      stream.halfClose();
      return this;
    }

    RecordingStreamListener.Closed awaitClosed() throws Exception {
      return listener.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Records transport lifecycle events and checks their order. */
  static final class RecordingTransportListener implements ClientTransportListener {
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final CompletableFuture<Status> shutdown = new CompletableFuture<>();
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Boolean> inUse = new CopyOnWriteArrayList<>();

    @Override
    public void transportReady() {
      events.add("ready");
      if (shutdown.isDone() || !ready.complete(null)) {
        throw UncaughtErrors.failure("ready after shutdown or twice: " + events);
      }
    }

    @Override
    public void transportShutdown(Status status) {
      events.add("shutdown");
      if (!shutdown.complete(status)) {
        throw UncaughtErrors.failure("shutdown twice: " + events);
      }
    }

    @Override
    public void transportTerminated() {
      events.add("terminated");
      if (!shutdown.isDone() || !terminated.complete(null)) {
        throw UncaughtErrors.failure("terminated before shutdown or twice: " + events);
      }
    }

    @Override
    public void transportInUse(boolean inUse) {
      this.inUse.add(inUse);
    }
  }

  /** Records stream events; messages are read and closed as they arrive. */
  static final class RecordingStreamListener implements ClientTransportStreamListener {
    record Closed(Status status, Metadata trailers, StreamProgress progress) {}

    final CompletableFuture<Metadata> headers = new CompletableFuture<>();
    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final Semaphore ready = new Semaphore(0);
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile boolean exactAvailable = true;

    @Override
    public void headersRead(Metadata headers) {
      threads.add(Thread.currentThread().getName());
      this.headers.complete(headers);
    }

    @Override
    public void messageRead(InputStream message) {
      threads.add(Thread.currentThread().getName());
      try (message) {
        int available = message.available();
        byte[] bytes = message.readAllBytes();
        exactAvailable &= available == bytes.length;
        messages.add(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      closed(status, StreamProgress.PROCESSED, trailers);
    }

    @Override
    public void closed(Status status, StreamProgress progress, Metadata trailers) {
      threads.add(Thread.currentThread().getName());
      if (!closed.complete(new Closed(status, trailers, progress))) {
        throw UncaughtErrors.failure("closed twice: " + status);
      }
    }

    @Override
    public void onReady() {
      ready.release();
    }

    byte[] nextMessage() throws InterruptedException {
      byte[] m = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (m == null) {
        throw new AssertionError("no message arrived");
      }
      return m;
    }

    void assertNoMoreMessages() {
      assertEquals(0, messages.size(), "unexpected messages");
    }
  }
}
