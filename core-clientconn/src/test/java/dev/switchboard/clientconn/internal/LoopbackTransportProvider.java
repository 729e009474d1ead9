package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportListener;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.ServerTransport;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.api.transport.StreamProgress;
import dev.switchboard.api.transport.TransportProvider;
import java.io.ByteArrayInputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A thread-safe in-memory transport for real-thread tests: connections are ready at once; a server
 * answers each unary call with "pong" on the server executor. It keeps the transport contract like
 * Netty does: {@code transportShutdown} is reported before streams are refused, a graceful shutdown
 * lets started streams finish, termination comes last. Streams started after a shutdown fail
 * UNAVAILABLE "transport is shutting down", reported as {@link StreamProgress#REFUSED} only when
 * {@code reportRefused} (Netty today reports PROCESSED).
 */
final class LoopbackTransportProvider implements TransportProvider {
  private final boolean reportRefused;
  private final Executor server;
  private final Set<Loopback> live = ConcurrentHashMap.newKeySet();

  LoopbackTransportProvider(boolean reportRefused, Executor server) {
    this.reportRefused = reportRefused;
    this.server = server;
  }

  @Override
  public String name() {
    return "netty";
  }

  @Override
  public ClientTransportFactory newClientTransportFactory(TransportCredentials credentials) {
    return new ClientTransportFactory() {
      @Override
      public ClientTransport newClientTransport(
          SocketAddress address, ClientTransportOptions options) {
        return new Loopback(address);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public ServerTransport newServerTransport(ServerTransportOptions options) {
    throw new UnsupportedOperationException();
  }

  /** The server sends GOAWAY on a random started connection; false when there is none. */
  boolean goAwayOne() {
    List<Loopback> snapshot = new ArrayList<>(live);
    if (snapshot.isEmpty()) {
      return false;
    }
    snapshot
        .get(ThreadLocalRandom.current().nextInt(snapshot.size()))
        .goAway(Status.UNAVAILABLE.withDescription("GOAWAY from the server"));
    return true;
  }

  /** One connection. Guarded by its own monitor; listener calls are made without it. */
  private final class Loopback implements ClientTransport {
    private final SocketAddress address;
    private ClientTransportListener listener;
    private boolean shutdownReported;
    private boolean refusing;
    private boolean terminated;
    private final Set<LoopbackStream<?>> streams = new HashSet<>();

    Loopback(SocketAddress address) {
      this.address = address;
    }

    @Override
    public void start(ClientTransportListener listener) {
      synchronized (this) {
        this.listener = listener;
      }
      live.add(this); // only a started connection can be sent a GOAWAY
      listener.transportReady();
    }

    @Override
    public <ReqT> ClientTransportStream<ReqT> newStream(
        MethodDescriptor<ReqT, ?> method,
        Metadata headers,
        CallOptions callOptions,
        Marshaller<ReqT> requestMarshaller) {
      return new LoopbackStream<>(this);
    }

    void goAway(Status reason) {
      ClientTransportListener l;
      synchronized (this) {
        if (shutdownReported) {
          return;
        }
        shutdownReported = true;
        l = listener;
      }
      l.transportShutdown(reason);
      synchronized (this) {
        refusing = true; // like Netty: refused only after the shutdown was reported
      }
      maybeTerminate();
    }

    @Override
    public void shutdown(Status reason) {
      goAway(reason);
    }

    @Override
    public void shutdownNow(Status reason) {
      goAway(reason);
      List<LoopbackStream<?>> open;
      synchronized (this) {
        open = new ArrayList<>(streams);
      }
      for (LoopbackStream<?> s : open) {
        s.finish(reason);
      }
    }

    /** Whether a new stream is accepted; counts it when it is. */
    synchronized boolean accept(LoopbackStream<?> s) {
      if (refusing) {
        return false;
      }
      streams.add(s);
      return true;
    }

    void done(LoopbackStream<?> s) {
      synchronized (this) {
        streams.remove(s);
      }
      maybeTerminate();
    }

    private void maybeTerminate() {
      ClientTransportListener l;
      synchronized (this) {
        if (!shutdownReported || !streams.isEmpty() || terminated) {
          return;
        }
        terminated = true;
        l = listener;
      }
      live.remove(this);
      l.transportTerminated();
    }

    @Override
    public Attributes attributes() {
      return Attributes.EMPTY;
    }

    @Override
    public String toString() {
      return "Loopback(" + address + ")";
    }
  }

  /** One call: answered "pong" by the server once half-closed. */
  private final class LoopbackStream<ReqT> implements ClientTransportStream<ReqT> {
    private final Loopback transport;
    private ClientTransportStreamListener listener;
    private boolean done; // guarded by this

    LoopbackStream(Loopback transport) {
      this.transport = transport;
    }

    @Override
    public void start(ClientTransportStreamListener listener) {
      this.listener = listener;
      if (!transport.accept(this)) {
        synchronized (this) {
          done = true;
        }
        listener.closed(
            Status.UNAVAILABLE.withDescription("transport is shutting down"),
            reportRefused ? StreamProgress.REFUSED : StreamProgress.PROCESSED,
            new Metadata());
      }
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void writeMessage(ReqT message) {}

    @Override
    public void flush() {}

    @Override
    public void halfClose() {
      server.execute(this::respond);
    }

    private void respond() {
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
      }
      listener.headersRead(new Metadata());
      listener.messageRead(new ByteArrayInputStream("pong".getBytes(StandardCharsets.UTF_8)));
      listener.closed(Status.OK, new Metadata());
      transport.done(this);
    }

    void finish(Status status) {
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
      }
      listener.closed(status, new Metadata());
      transport.done(this);
    }

    @Override
    public void cancel(Status reason) {
      finish(reason);
    }

    @Override
    public synchronized boolean isReady() {
      return !done;
    }

    @Override
    public void setMessageCompression(boolean enabled) {}
  }
}
