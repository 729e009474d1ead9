package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.clientconn.ClientConns;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The four call types, metadata, status, deadlines, cancellation and size limits over loopback. */
class CallsEndToEndTest {
  private final EchoService service = new EchoService("s1");
  private Server server;
  private ClientConn conn;

  @BeforeEach
  void setUp() throws Exception {
    server = Loopback.start(service);
    conn = ClientConns.newClient(Loopback.target(server), Loopback.insecure().build());
  }

  @AfterEach
  void tearDown() throws Exception {
    service.release.countDown();
    conn.close();
    server.shutdownNow();
    assertTrue(conn.awaitTermination(10, TimeUnit.SECONDS));
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void unary() throws Exception {
    assertEquals(
        "hello",
        Loopback.unary(conn, EchoService.UNARY, str("hello"), CallOptions.DEFAULT).getValue());
  }

  @Test
  void serverStreaming() throws Exception {
    RecordingListener<StringValue> l =
        Loopback.call(
            conn, EchoService.SERVER_STREAM, CallOptions.DEFAULT, new Metadata(), str("5"));
    assertEquals(Status.Code.OK, l.awaitClose().getCode());
    assertEquals(
        List.of("0", "1", "2", "3", "4"), l.messages.stream().map(StringValue::getValue).toList());
  }

  @Test
  void clientStreaming() throws Exception {
    RecordingListener<StringValue> l =
        Loopback.call(
            conn,
            EchoService.CLIENT_STREAM,
            CallOptions.DEFAULT,
            new Metadata(),
            str("a"),
            str("b"),
            str("c"));
    assertEquals(Status.Code.OK, l.awaitClose().getCode());
    assertEquals("a,b,c", l.messages.get(0).getValue());
  }

  @Test
  void bidiStreamingPingPong() throws Exception {
    RecordingListener<StringValue> l = new RecordingListener<>();
    ClientStream<StringValue, StringValue> stream =
        conn.newStream(EchoService.BIDI, CallOptions.DEFAULT);
    stream.start(l, new Metadata());
    for (int i = 0; i < 4; i++) {
      stream.request(1);
      stream.sendMessage(str("ping" + i));
      assertEquals("ping" + i, l.next().getValue());
    }
    stream.halfClose();
    assertEquals(Status.Code.OK, l.awaitClose().getCode());
  }

  @Test
  void metadataBothWaysAndTrailers() throws Exception {
    byte[] trailing = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    Metadata headers =
        new Metadata()
            .put("x-echo-initial", "test-value")
            .putBinary("x-echo-trailing-bin", trailing);
    RecordingListener<StringValue> l =
        Loopback.call(conn, EchoService.UNARY, CallOptions.DEFAULT, headers, str("hi"));
    assertEquals(Status.Code.OK, l.awaitClose().getCode());
    assertEquals("test-value", l.headers.get(5, TimeUnit.SECONDS).get("x-echo-initial"));
    assertArrayEquals(trailing, l.trailers.getBinary("x-echo-trailing-bin"));
  }

  @Test
  void statusCodeAndUnicodeMessageRoundTrip() throws Exception {
    String message =
        "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \ud83d\ude08\t\n";
    RecordingListener<StringValue> l =
        Loopback.call(
            conn,
            EchoService.UNARY,
            CallOptions.DEFAULT,
            new Metadata(),
            str("status:2:" + message));
    Status s = l.awaitClose();
    assertEquals(Status.Code.UNKNOWN, s.getCode());
    assertEquals(message, s.getDescription());
  }

  @Test
  void deadlineExceededOnSlowServerAndServerSeesIt() throws Exception {
    RecordingListener<StringValue> l =
        Loopback.call(
            conn,
            EchoService.HANG,
            CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS),
            new Metadata(),
            str("x"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, l.awaitClose().getCode());
    assertEquals("started", service.events.poll(10, TimeUnit.SECONDS));
    assertEquals("cancelled", service.events.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void clientCancelReachesServer() throws Exception {
    RecordingListener<StringValue> l = new RecordingListener<>();
    ClientStream<StringValue, StringValue> stream =
        conn.newStream(EchoService.HANG, CallOptions.DEFAULT);
    stream.start(l, new Metadata());
    stream.request(1);
    stream.sendMessage(str("x"));
    stream.halfClose();
    assertEquals("started", service.events.poll(10, TimeUnit.SECONDS));
    stream.cancel("user gave up", null);
    assertEquals(Status.Code.CANCELLED, l.awaitClose().getCode());
    assertEquals("cancelled", service.events.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void sixteenMebibyteMessageWithRaisedLimits() throws Exception {
    int size = 16 * 1024 * 1024;
    EchoService big = new EchoService("big");
    Server bigServer =
        Loopback.start(
            big, ServerOptions.newBuilder().insecure().maxInboundMessageSize(size + 1024));
    ClientConn bigConn =
        ClientConns.newClient(
            Loopback.target(bigServer),
            Loopback.insecure().maxReceiveMessageSize(size + 1024).build());
    try {
      byte[] payload = new byte[size];
      new java.util.Random(7).nextBytes(payload);
      BytesValue resp =
          Loopback.unary(
              bigConn,
              EchoService.BIG,
              BytesValue.of(ByteString.copyFrom(payload)),
              CallOptions.DEFAULT);
      assertEquals(size, resp.getValue().size());
      assertTrue(resp.getValue().equals(ByteString.copyFrom(payload)));
    } finally {
      bigConn.close();
      bigServer.shutdownNow();
    }
  }

  @Test
  void oversizedRequestIsResourceExhaustedAndServerKeepsServing() throws Exception {
    BytesValue tooBig = BytesValue.of(ByteString.copyFrom(new byte[5 * 1024 * 1024]));
    RecordingListener<BytesValue> l =
        Loopback.call(conn, EchoService.BIG, CallOptions.DEFAULT, new Metadata(), tooBig);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, l.awaitClose().getCode());
    assertEquals(
        "still",
        Loopback.unary(conn, EchoService.UNARY, str("still"), CallOptions.DEFAULT).getValue());
  }

  @Test
  void oversizedResponseIsResourceExhaustedOnTheClient() throws Exception {
    EchoService big = new EchoService("big");
    Server bigServer =
        Loopback.start(big, ServerOptions.newBuilder().insecure().maxInboundMessageSize(8 << 20));
    ClientConn smallConn =
        ClientConns.newClient(
            Loopback.target(bigServer), Loopback.insecure().maxReceiveMessageSize(1024).build());
    try {
      RecordingListener<BytesValue> l =
          Loopback.call(
              smallConn,
              EchoService.BIG,
              CallOptions.DEFAULT,
              new Metadata(),
              BytesValue.of(ByteString.copyFrom(new byte[4096])));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, l.awaitClose().getCode());
    } finally {
      smallConn.close();
      bigServer.shutdownNow();
    }
  }

  @Test
  void unknownMethodIsUnimplemented() throws Exception {
    var missing =
        dev.switchboard.api.MethodDescriptor.of(
            "switchboard.test.Echo/Nope",
            dev.switchboard.api.MethodType.UNARY,
            StringValue.class,
            StringValue.class);
    var missingService =
        dev.switchboard.api.MethodDescriptor.of(
            "switchboard.test.Missing/Call",
            dev.switchboard.api.MethodType.UNARY,
            StringValue.class,
            StringValue.class);
    assertEquals(
        Status.Code.UNIMPLEMENTED,
        Loopback.call(conn, missing, CallOptions.DEFAULT, new Metadata(), str("x"))
            .awaitClose()
            .getCode());
    assertEquals(
        Status.Code.UNIMPLEMENTED,
        Loopback.call(conn, missingService, CallOptions.DEFAULT, new Metadata(), str("x"))
            .awaitClose()
            .getCode());
  }

  @Test
  void gzipCompressedRequests() throws Exception {
    assertEquals(
        "squeezed",
        Loopback.unary(
                conn,
                EchoService.UNARY,
                str("squeezed"),
                CallOptions.DEFAULT.withCompression("gzip"))
            .getValue());
  }
}
