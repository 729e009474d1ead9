package dev.switchboard.transport.netty;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.api.Attributes;
import dev.switchboard.api.FlowControl;
import dev.switchboard.api.FrameLimits;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerKeepalive;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.ClientTransportListener;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.api.transport.ServerTransportOptions;
import dev.switchboard.api.transport.ServerTransportStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzz tests (Jazzer) of the HTTP/2 paths that read a peer's bytes, through the
 * real pipelines on an {@link EmbeddedChannel}: {@link #server} feeds a client's frames (request
 * headers with {@code :method}, {@code :path}, {@code content-type}, {@code te}, {@code
 * grpc-timeout}, {@code grpc-encoding}, custom and {@code -bin} metadata; DATA; control frames;
 * garbage) to a {@link ServerHandler}, {@link #client} feeds a server's frames (response headers
 * with {@code :status}, trailers with {@code grpc-status} and {@code grpc-message}; DATA; ...) to a
 * {@link ClientHandler} with open calls. {@link FuzzFrames} describes the input.
 *
 * <p>Findings: an exception out of the pipeline; a frame the handler writes that does not parse, or
 * that carries INTERNAL_ERROR (how the codec reports an exception in our code); call events out of
 * contract (metadata with protocol or invalid keys, a second {@code closed}, a call or connection
 * never closed after the channel closed, a server trailer without {@code grpc-status}); any buffer
 * not released once the channel is closed (exact per input: the allocator's used memory).
 * Regression inputs live under {@code src/test/resources/.../Http2PipelineFuzzTestInputs}.
 */
class Http2PipelineFuzzTest {
  private static final UnpooledByteBufAllocator ALLOC =
      new UnpooledByteBufAllocator(false, true, false);
  private static final byte[] CLIENT_PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_MESSAGE = 1024;

  private static final ServerTransportOptions SERVER_OPTIONS =
      new ServerTransportOptions(
          List.of(new InetSocketAddress("127.0.0.1", 0)),
          TransportCredentials.insecure(),
          MAX_MESSAGE,
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
          FlowControl.DEFAULT);

  private static final ClientTransportOptions CLIENT_OPTIONS =
      TestClient.options(FlowControl.DEFAULT);

  @FuzzTest(maxDuration = "60s")
  void server(byte[] input) throws Exception {
    if (input == null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    EmbeddedChannel ch = unregisteredChannel();
    WriteQueue writeQueue = new WriteQueue(ch);
    NettyServerConnection connection = new NettyServerConnection(writeQueue, Attributes.EMPTY);
    ServerHandler handler = ServerHandler.create(SERVER_OPTIONS, writeQueue, Attributes.EMPTY);
    connection.setHandler(handler);
    FuzzServerCalls calls = new FuzzServerCalls(problems);
    handler.setConnectionListener(calls);
    ch.pipeline().addLast(handler);
    ch.register();

    FuzzFrames frames = new FuzzFrames(input, ALLOC);
    ch.writeInbound(ALLOC.buffer().writeBytes(CLIENT_PREFACE));
    ch.writeInbound(frames.frame(4, 0, 0, Unpooled.EMPTY_BUFFER)); // the client's SETTINGS
    while (frames.hasMore() && ch.isOpen()) {
      int op = frames.op();
      if ((op & 7) == FuzzFrames.ACTION) {
        serverAction(FuzzFrames.actionOf(op), calls, connection);
        ch.runPendingTasks();
        continue;
      }
      ByteBuf frame = frames.frame(op);
      if (frame != null) {
        if (ch.isOpen()) {
          ch.writeInbound(frame);
        } else {
          frame.release();
        }
      }
    }
    ch.runPendingTasks();
    ch.close();
    ch.runPendingTasks();
    ch.checkException();
    OutboundCheck outbound = new OutboundCheck(true, problems);
    drainOutbound(ch, outbound);
    ch.finishAndReleaseAll();
    calls.checkAllClosed();
    finish(problems);
  }

  private static void serverAction(int action, FuzzServerCalls calls, NettyServerConnection conn) {
    ServerTransportStream stream = calls.oldestOpen();
    switch (action & 3) {
      case 0 -> conn.shutdown();
      case 1 -> {
        if (stream != null) {
          stream.cancel(Status.CANCELLED.withDescription("fuzz"));
        }
      }
      case 2 -> {
        if (stream != null) {
          calls.respond(stream);
        }
      }
      default -> conn.shutdownNow(Status.UNAVAILABLE.withDescription("fuzz"));
    }
  }

  @FuzzTest(maxDuration = "60s")
  void client(byte[] input) throws Exception {
    if (input == null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    EmbeddedChannel ch = unregisteredChannel();
    WriteQueue writeQueue = new WriteQueue(ch);
    TransportEvents transport = new TransportEvents(problems);
    ClientHandler handler =
        ClientHandler.create(
            transport,
            new InetSocketAddress("127.0.0.1", 1),
            CLIENT_OPTIONS.maxInboundMetadataSize(),
            FrameLimits.DEFAULT,
            Duration.ofSeconds(10),
            attrs -> {},
            () -> {},
            KeepaliveSettings.DISABLED,
            () -> {},
            FlowControl.DEFAULT);
    ch.pipeline().addLast(handler);
    ch.register();

    FuzzFrames frames = new FuzzFrames(input, ALLOC);
    ch.writeInbound(frames.frame(4, 0, 0, Unpooled.EMPTY_BUFFER)); // the server's SETTINGS
    FuzzClientCalls calls =
        new FuzzClientCalls(handler, ALLOC, writeQueue, CLIENT_OPTIONS, problems);
    calls.startCall(true);
    ch.runPendingTasks();
    while (frames.hasMore() && ch.isOpen()) {
      int op = frames.op();
      if ((op & 7) == FuzzFrames.ACTION) {
        calls.action(FuzzFrames.actionOf(op));
        ch.runPendingTasks();
        continue;
      }
      ByteBuf frame = frames.frame(op);
      if (frame != null) {
        if (ch.isOpen()) {
          ch.writeInbound(frame);
        } else {
          frame.release();
        }
      }
    }
    ch.runPendingTasks();
    ch.close();
    ch.runPendingTasks();
    ch.checkException();
    OutboundCheck outbound = new OutboundCheck(false, problems);
    drainOutbound(ch, outbound);
    ch.finishAndReleaseAll();
    calls.checkAllClosed();
    transport.checkTerminated();
    finish(problems);
  }

  /** A channel that takes our allocator before its handler is added and activated. */
  private static EmbeddedChannel unregisteredChannel() {
    EmbeddedChannel ch = new EmbeddedChannel(null, DefaultChannelId.newInstance(), false, false);
    ch.config().setAllocator(ALLOC);
    return ch;
  }

  private static void drainOutbound(EmbeddedChannel ch, OutboundCheck check) throws Exception {
    ByteBuf all = ALLOC.heapBuffer();
    EmbeddedChannel peer = unregisteredChannel();
    try {
      peer.pipeline().addLast(new ChannelInboundHandlerAdapter());
      peer.register();
      Object o;
      while ((o = ch.readOutbound()) != null) {
        if (o instanceof ByteBuf b) {
          all.writeBytes(b);
          b.release();
        } else {
          check.problems.add("wrote a " + o.getClass().getName());
          io.netty.util.ReferenceCountUtil.release(o);
        }
      }
      check.parse(peer.pipeline().firstContext(), all);
    } finally {
      all.release();
      peer.finishAndReleaseAll();
    }
  }

  private static void finish(List<String> problems) {
    ByteBufAllocatorMetric metric = ALLOC.metric();
    long used = metric.usedHeapMemory() + metric.usedDirectMemory();
    if (used != 0) {
      problems.add("leaked " + used + " bytes of buffers");
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("\n", problems));
    }
  }

  /** The connection's events on the client: shut down at most once, terminated once at the end. */
  private static final class TransportEvents implements ClientTransportListener {
    private final List<String> problems;
    private int shutdowns;
    private int terminations;

    TransportEvents(List<String> problems) {
      this.problems = problems;
    }

    @Override
    public void transportReady() {}

    @Override
    public void transportShutdown(Status status) {
      if (++shutdowns > 1) {
        problems.add("transportShutdown twice");
      }
      if (status == null || status.isOk()) {
        problems.add("transportShutdown(" + status + ")");
      }
    }

    @Override
    public void transportTerminated() {
      terminations++;
    }

    void checkTerminated() {
      if (terminations != 1) {
        problems.add("transportTerminated " + terminations + " times");
      }
    }
  }

  /** Metadata the core may see: no protocol headers, valid keys, values of the key's kind. */
  static void checkMetadata(Metadata md, List<String> problems) {
    for (int i = 0; i < md.size(); i++) {
      String key = md.keyAt(i);
      Object value = md.valueAt(i);
      try {
        Metadata.checkKeySyntax(key);
      } catch (IllegalArgumentException e) {
        problems.add("metadata key '" + key + "': " + e.getMessage());
      }
      boolean reserved =
          (key.startsWith("grpc-")
                  && !key.equals("grpc-retry-pushback-ms")
                  && !key.equals("grpc-previous-rpc-attempts"))
              || key.equals("content-type")
              || key.equals("te");
      if (reserved) {
        problems.add("protocol header in metadata: " + key);
      }
      boolean ok =
          Metadata.isBinaryKey(key)
              ? value instanceof byte[]
              : value instanceof String s && Metadata.isValidAsciiValue(s);
      if (!ok) {
        problems.add("metadata value of '" + key + "' is " + value);
      }
    }
  }
}
