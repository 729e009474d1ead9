package dev.switchboard.server.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ServerTransportStream;
import dev.switchboard.api.transport.ServerTransportStreamListener;
import dev.switchboard.testing.UncaughtErrors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A server stream that records what the core does with it and lets the test play the client. Like a
 * real transport, it reports {@code closed} once: OK right after {@link #close} (the "peer" got the
 * trailers at once), or the reason on {@link #cancel}. Thread-safe enough for tests that use real
 * threads: the recordings are concurrent lists, the rest is synchronized.
 */
final class FakeServerStream implements ServerTransportStream {
  final List<Metadata> headersWritten = new CopyOnWriteArrayList<>();
  final List<String> messagesWritten = new CopyOnWriteArrayList<>();
  final List<TrackedInput> messagesSent = new ArrayList<>();
  ServerTransportStreamListener listener;
  int requested;
  int flushes;
  Status closeStatus;
  Metadata closeTrailers;
  Status cancelStatus;
  Status endedWith;
  String compression;
  Boolean messageCompression;
  boolean ready = true;
  String contentSubtype = "";
  Deadline deadline;
  ScheduledExecutorService scheduler;
  String authority = "example.com";
  Attributes attributes = Attributes.EMPTY;

  @Override
  public synchronized void setListener(ServerTransportStreamListener listener) {
    this.listener = listener;
  }

  @Override
  public synchronized void request(int numMessages) {
    requested += numMessages;
  }

  @Override
  public synchronized void writeHeaders(Metadata headers) {
    headersWritten.add(headers);
  }

  @Override
  public synchronized <T> void writeMessage(T message, Marshaller<T> marshaller) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      marshaller.encode(message, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    messagesWritten.add(out.toString(UTF_8));
  }

  @Override
  public synchronized void flush() {
    flushes++;
  }

  @Override
  public void close(Status status, Metadata trailers) {
    synchronized (this) {
      if (closeStatus != null) {
        throw UncaughtErrors.failure("closed twice: " + closeStatus + " then " + status);
      }
      closeStatus = status;
      closeTrailers = trailers;
    }
    end(Status.OK);
  }

  @Override
  public void cancel(Status reason) {
    synchronized (this) {
      if (cancelStatus != null) {
        return;
      }
      cancelStatus = reason;
    }
    end(reason);
  }

  @Override
  public synchronized boolean isReady() {
    return ready;
  }

  @Override
  public synchronized void setCompression(String compressorName) {
    compression = compressorName;
  }

  @Override
  public synchronized void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  @Override
  public String authority() {
    return authority;
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public Deadline deadline() {
    return deadline;
  }

  @Override
  public String contentSubtype() {
    return contentSubtype;
  }

  @Override
  public String messageEncoding() {
    return null;
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }

  /** Reports the end of the stream to the core, once. */
  void end(Status status) {
    ServerTransportStreamListener l;
    synchronized (this) {
      if (endedWith != null) {
        return;
      }
      endedWith = status;
      l = listener;
    }
    l.closed(status);
  }

  synchronized boolean isEnded() {
    return endedWith != null;
  }

  /** The client sends {@code text} as one message. */
  TrackedInput clientSends(String text) {
    return clientSends(text, false);
  }

  /** The client sends {@code text} as one message, with the compressed flag as given. */
  TrackedInput clientSends(String text, boolean compressed) {
    TrackedInput in = new TrackedInput(text.getBytes(UTF_8));
    synchronized (this) {
      messagesSent.add(in);
    }
    listener.messageRead(in, compressed);
    return in;
  }

  void clientHalfCloses() {
    listener.halfClosed();
  }

  /** The client resets the stream. */
  void clientCancels() {
    end(Status.CANCELLED.withDescription("client cancelled"));
  }

  void becomesReady() {
    synchronized (this) {
      ready = true;
    }
    listener.onReady();
  }

  /** A request message that remembers whether the core closed it. */
  static final class TrackedInput extends ByteArrayInputStream {
    volatile boolean closed;

    TrackedInput(byte[] bytes) {
      super(bytes);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
