package dev.switchboard.server.internal;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ServerConnection;
import dev.switchboard.api.transport.ServerConnectionListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A connection that carries {@link FakeServerStream}s. After {@link #shutdown} it terminates once
 * every stream has ended (as a transport does after GOAWAY); {@link #shutdownNow} cancels every
 * stream and terminates.
 */
final class FakeConnection implements ServerConnection {
  final List<FakeServerStream> streams = new CopyOnWriteArrayList<>();
  ServerConnectionListener listener;
  volatile boolean shutdown;
  volatile Status shutdownNowStatus;
  volatile boolean terminated;

  /** The client starts a call: the core must set the stream's listener. */
  FakeServerStream newStream(String fullMethodName) {
    return newStream(fullMethodName, new FakeServerStream(), new Metadata());
  }

  FakeServerStream newStream(String fullMethodName, FakeServerStream stream, Metadata headers) {
    streams.add(stream);
    listener.streamCreated(stream, fullMethodName, headers);
    if (stream.listener == null) {
      throw new AssertionError("core did not set a stream listener");
    }
    return stream;
  }

  @Override
  public void shutdown() {
    shutdown = true;
    terminateIfIdle();
  }

  @Override
  public void shutdownNow(Status reason) {
    shutdownNowStatus = reason;
    shutdown = true;
    for (FakeServerStream s : streams) {
      s.cancel(reason);
    }
    terminateIfIdle();
  }

  /** After shutdown, terminates when every stream has ended; call after streams end. */
  void terminateIfIdle() {
    if (!shutdown || terminated || listener == null) {
      return; // no listener yet: shut down from inside connectionCreated
    }
    for (FakeServerStream s : streams) {
      if (!s.isEnded()) {
        return;
      }
    }
    terminated = true;
    listener.connectionTerminated();
  }

  @Override
  public Attributes attributes() {
    return Attributes.EMPTY;
  }
}
