package dev.switchboard.transport.netty;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ServerConnectionListener;
import dev.switchboard.api.transport.ServerTransportStream;
import dev.switchboard.api.transport.ServerTransportStreamListener;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The server application of {@link Http2PipelineFuzzTest}: checks the metadata of each new call,
 * reads every message, answers a half-closed call (headers, an echo of its first message, trailers
 * echoing its metadata) and records calls out of contract into {@code problems} (never throws into
 * the handler, which would hide the failure).
 */
final class FuzzServerCalls implements ServerConnectionListener {
  private final List<String> problems;
  private final List<Call> calls = new ArrayList<>();
  private boolean terminated;

  FuzzServerCalls(List<String> problems) {
    this.problems = problems;
  }

  @Override
  public void streamCreated(ServerTransportStream stream, String fullMethodName, Metadata headers) {
    if (terminated) {
      problems.add("streamCreated after connectionTerminated");
    }
    if (fullMethodName.isEmpty()) {
      problems.add("empty method name");
    }
    Http2PipelineFuzzTest.checkMetadata(headers, problems);
    Call call = new Call(stream, headers);
    calls.add(call);
    stream.setListener(call);
    stream.request(1);
  }

  @Override
  public void connectionTerminated() {
    terminated = true;
  }

  /** The oldest call not yet closed, or null. */
  ServerTransportStream oldestOpen() {
    for (Call c : calls) {
      if (!c.closed) {
        return c.stream;
      }
    }
    return null;
  }

  /** Answers {@code stream}'s call now. */
  void respond(ServerTransportStream stream) {
    for (Call c : calls) {
      if (c.stream == stream) {
        c.respond();
      }
    }
  }

  void checkAllClosed() {
    if (!terminated) {
      problems.add("connectionTerminated not called after the channel closed");
    }
    for (Call c : calls) {
      if (!c.closed) {
        problems.add("a call was never closed: " + c.stream);
      }
    }
  }

  private final class Call implements ServerTransportStreamListener {
    final ServerTransportStream stream;
    final Metadata headers;
    byte[] firstMessage;
    boolean halfClosed;
    boolean responded;
    boolean closed;

    Call(ServerTransportStream stream, Metadata headers) {
      this.stream = stream;
      this.headers = headers;
    }

    @Override
    public void messageRead(InputStream message, boolean compressed) {
      try (message) {
        byte[] bytes = message.readAllBytes();
        if (closed || halfClosed) {
          problems.add("message after " + (closed ? "closed" : "halfClosed"));
        }
        if (firstMessage == null) {
          firstMessage = bytes;
        }
      } catch (IOException e) {
        problems.add("reading a message failed: " + e);
      }
      stream.request(1);
    }

    @Override
    public void halfClosed() {
      if (closed || halfClosed) {
        problems.add("halfClosed after " + (closed ? "closed" : "halfClosed"));
      }
      halfClosed = true;
      respond();
    }

    void respond() {
      if (responded || closed) {
        return;
      }
      responded = true;
      stream.writeHeaders(new Metadata());
      if (firstMessage != null) {
        stream.writeMessage(firstMessage, ByteArrayMarshaller.INSTANCE);
      }
      String path = String.valueOf(headers.get("x-custom"));
      stream.close(Status.OK.withDescription("echo: " + path), new Metadata(headers));
      stream.flush();
    }

    @Override
    public void closed(Status status) {
      if (closed) {
        problems.add("closed twice: " + status);
      }
      if (status == null) {
        problems.add("closed(null)");
      }
      closed = true;
    }

    @Override
    public void onReady() {}
  }
}
