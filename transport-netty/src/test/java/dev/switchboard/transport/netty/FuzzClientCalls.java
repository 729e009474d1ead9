package dev.switchboard.transport.netty;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.StreamProgress;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The client application of {@link Http2PipelineFuzzTest}: starts calls on a {@link ClientHandler},
 * reads every response message, and records events out of contract into {@code problems} (never
 * throws into the handler, which would hide the failure): headers after a message or twice,
 * anything after {@code closed}, metadata with protocol or invalid keys, a call never closed.
 */
final class FuzzClientCalls {
  private static final int MAX_MESSAGE = 1024;

  private final ClientHandler handler;
  private final ByteBufAllocator alloc;
  private final WriteQueue writeQueue;
  private final ClientTransportOptions options;
  private final List<String> problems;
  private final List<Call> calls = new ArrayList<>();

  FuzzClientCalls(
      ClientHandler handler,
      ByteBufAllocator alloc,
      WriteQueue writeQueue,
      ClientTransportOptions options,
      List<String> problems) {
    this.handler = handler;
    this.alloc = alloc;
    this.writeQueue = writeQueue;
    this.options = options;
    this.problems = problems;
  }

  /** Starts a call sending one message, half-closed when {@code halfClose}. */
  void startCall(boolean halfClose) {
    NettyClientStream<byte[]> stream =
        new NettyClientStream<>(
            handler,
            writeQueue,
            alloc,
            TestClient.method("pkg.Svc/Method"),
            new Metadata().put("x-custom", "v"),
            CallOptions.DEFAULT.withMaxInboundMessageSize(MAX_MESSAGE).withCompression("gzip"),
            ByteArrayMarshaller.INSTANCE,
            options);
    Call call = new Call(stream);
    calls.add(call);
    stream.start(call);
    stream.request(1);
    stream.writeMessage(new byte[] {1, 2, 3});
    stream.flush();
    if (halfClose) {
      stream.halfClose();
    }
  }

  /** Action {@code a} of the fuzz input: a new call, a cancel, a half-close, a shutdown. */
  void action(int a) {
    Call newest = calls.get(calls.size() - 1);
    switch (a & 3) {
      case 0 -> startCall((a & 4) != 0);
      case 1 -> newest.stream.cancel(Status.CANCELLED.withDescription("fuzz"));
      case 2 -> newest.stream.halfClose();
      default -> writeQueue.enqueue(new GracefulCloseCommand(handler, Status.UNAVAILABLE));
    }
  }

  void checkAllClosed() {
    for (Call c : calls) {
      if (!c.closed) {
        problems.add("a call was never closed");
      }
    }
  }

  private final class Call implements ClientTransportStreamListener {
    final NettyClientStream<byte[]> stream;
    boolean headers;
    boolean messages;
    boolean closed;

    Call(NettyClientStream<byte[]> stream) {
      this.stream = stream;
    }

    @Override
    public void headersRead(Metadata md) {
      if (headers || messages || closed) {
        problems.add("headersRead out of order");
      }
      headers = true;
      Http2PipelineFuzzTest.checkMetadata(md, problems);
    }

    @Override
    public void messageRead(InputStream message) {
      try (message) {
        byte[] bytes = message.readAllBytes();
        if (bytes.length > MAX_MESSAGE) {
          problems.add("a message of " + bytes.length + " bytes");
        }
      } catch (IOException e) {
        problems.add("reading a message failed: " + e);
      }
      if (!headers || closed) {
        problems.add("messageRead " + (closed ? "after closed" : "before headers"));
      }
      messages = true;
      stream.request(1);
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      closed(status, StreamProgress.PROCESSED, trailers);
    }

    @Override
    public void closed(Status status, StreamProgress progress, Metadata trailers) {
      if (closed) {
        problems.add("closed twice: " + status);
      }
      closed = true;
      if (status == null || trailers == null) {
        problems.add("closed(" + status + ", " + trailers + ")");
        return;
      }
      Http2PipelineFuzzTest.checkMetadata(trailers, problems);
    }

    @Override
    public void onReady() {}
  }
}
