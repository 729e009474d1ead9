package dev.switchboard.transport.netty;

import static dev.switchboard.transport.netty.StatusAssert.assertCode;
import static dev.switchboard.transport.netty.TestClient.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.StreamProgress;
import dev.switchboard.transport.netty.RawHttp2Connection.Frame;
import dev.switchboard.transport.netty.TestClient.Call;
import dev.switchboard.transport.netty.TestClient.Connection;
import dev.switchboard.transport.netty.TestClient.RecordingStreamListener.Closed;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client transport against a hand-driven HTTP/2 server that misbehaves on purpose. */
class ClientAgainstRawServerTest {
  private NettyTransportProvider provider;
  private ClientTransportFactory factory;
  private ServerSocket serverSocket;
  private Connection client;
  private RawHttp2Connection server;

  @BeforeEach
  void setUp() throws Exception {
    provider = new NettyTransportProvider();
    factory = TestClient.factory(provider);
    serverSocket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.transport().shutdownNow(Status.UNAVAILABLE.withDescription("test over"));
      client.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
    serverSocket.close();
    factory.close();
    assertTrue(provider.eventLoops().awaitUnused(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  private void connect(Duration connectTimeout, boolean silentServer) throws Exception {
    client =
        TestClient.connectNoWait(
            factory,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), serverSocket.getLocalPort()),
            connectTimeout);
    server = RawHttp2Connection.accept(serverSocket, silentServer);
    if (!silentServer) {
      client.listener().ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private void connect() throws Exception {
    connect(Duration.ofSeconds(5), false);
  }

  @Test
  void requestHeadersFollowTheProtocol() throws Exception {
    connect();
    Call call =
        client.call(
            "pkg.Svc/Do",
            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS).withCompression("gzip"),
            new Metadata().put("x-a", "1"));
    Frame headersFrame = server.awaitFrame(RawHttp2Connection.HEADERS);
    assertEquals(3, headersFrame.streamId(), "stream 1 is reserved for HTTP/1.1 upgrade");
    Http2Headers h = headersFrame.headers();
    assertEquals("POST", h.method().toString());
    assertEquals("http", h.scheme().toString());
    assertEquals("/pkg.Svc/Do", h.path().toString());
    assertEquals("localhost:1234", h.authority().toString());
    assertEquals("application/grpc", h.get("content-type").toString());
    assertEquals("trailers", h.get("te").toString());
    assertEquals("switchboard-test/0.1", h.get("user-agent").toString());
    assertEquals("gzip", h.get("grpc-encoding").toString());
    assertTrue(h.get("grpc-accept-encoding").toString().contains("gzip"));
    assertTrue(
        h.get("grpc-timeout").toString().endsWith("u")
            || h.get("grpc-timeout").toString().endsWith("m"),
        h.get("grpc-timeout").toString());
    assertEquals("1", h.get("x-a").toString());
    call.stream().cancel(Status.CANCELLED);
    Frame rst = server.awaitFrame(RawHttp2Connection.RST_STREAM);
    assertEquals(headersFrame.streamId(), rst.streamId());
    assertEquals(Http2Error.CANCEL.code(), rst.payload()[3]);
  }

  @Test
  void httpErrorWithoutGrpcStatusMapsFromHttpStatus() throws Exception {
    connect();
    Call call = client.call("test/Any");
    call.stream().request(1);
    Frame req = server.awaitFrame(RawHttp2Connection.HEADERS);
    Http2Headers resp = new DefaultHttp2Headers().status("503");
    resp.add("content-type", "text/html");
    server.writeHeaders(req.streamId(), resp, true);
    Closed closed = call.awaitClosed();
    assertCode(Status.UNAVAILABLE, closed.status());
    assertTrue(closed.status().getDescription().contains("503"));
  }

  @Test
  void nonGrpcContentTypeIsUnknownAndResetsTheStream() throws Exception {
    connect();
    Call call = client.call("test/Any");
    call.stream().request(1);
    Frame req = server.awaitFrame(RawHttp2Connection.HEADERS);
    Http2Headers resp = new DefaultHttp2Headers().status("200");
    resp.add("content-type", "text/html");
    server.writeHeaders(req.streamId(), resp, false);
    assertCode(Status.UNKNOWN, call.awaitClosed().status());
    assertEquals(req.streamId(), server.awaitFrame(RawHttp2Connection.RST_STREAM).streamId());
    assertFalse(call.listener().headers.isDone());
  }

  @Test
  void trailersWithoutGrpcStatusAreUnknown() throws Exception {
    connect();
    Call call = client.call("test/Any");
    call.stream().request(5);
    int id = server.awaitFrame(RawHttp2Connection.HEADERS).streamId();
    server.writeHeaders(id, okHeaders(), false);
    server.writeData(id, grpcFrame("one"), false);
    server.writeHeaders(id, new DefaultHttp2Headers().add("x-t", "v"), true);
    assertArrayEquals(bytes("one"), call.listener().nextMessage());
    Closed closed = call.awaitClosed();
    assertCode(Status.UNKNOWN, closed.status());
    assertEquals("v", closed.trailers().get("x-t"));
  }

  @Test
  void responseMetadataIsFiltered() throws Exception {
    connect();
    Call call = client.call("test/Any");
    call.stream().request(1);
    int id = server.awaitFrame(RawHttp2Connection.HEADERS).streamId();
    Http2Headers resp = okHeaders();
    resp.add("x-ok", "yes");
    resp.add("x-binary", "AAEC");
    resp.add("grpc-internal-thing", "hidden");
    resp.add("x-data-bin", "AAEC");
    server.writeHeaders(id, resp, false);
    Metadata md = call.listener().headers.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertEquals("yes", md.get("x-ok"));
    assertEquals("AAEC", md.get("x-binary"), "not a -bin key: kept as text");
    assertArrayEquals(new byte[] {0, 1, 2}, md.getBinary("x-data-bin"));
    assertFalse(md.containsKey("grpc-internal-thing"));
    assertFalse(md.containsKey("content-type"));
    Http2Headers trailers = new DefaultHttp2Headers().add("grpc-status", "5");
    trailers.add("grpc-message", "not%20here%20%E2%9C%93");
    server.writeHeaders(id, trailers, true);
    Closed closed = call.awaitClosed();
    assertCode(Status.NOT_FOUND, closed.status());
    assertEquals("not here ✓", closed.status().getDescription());
  }

  @Test
  void rstStreamCodesMapToStatuses() throws Exception {
    connect();
    Call refused = client.call("test/Any");
    Call cancelled = client.call("test/Any");
    int first = server.awaitFrame(RawHttp2Connection.HEADERS).streamId();
    int second = server.awaitFrame(RawHttp2Connection.HEADERS).streamId();
    server.writeRstStream(first, Http2Error.REFUSED_STREAM.code());
    server.writeRstStream(second, Http2Error.CANCEL.code());
    Closed refusedClosed = refused.awaitClosed();
    assertCode(Status.UNAVAILABLE, refusedClosed.status());
    assertEquals(StreamProgress.REFUSED, refusedClosed.progress());
    Closed cancelledClosed = cancelled.awaitClosed();
    assertCode(Status.CANCELLED, cancelledClosed.status());
    assertEquals(StreamProgress.PROCESSED, cancelledClosed.progress());
  }

  @Test
  void goAwayFailsOnlyStreamsAboveLastStreamId() throws Exception {
    connect();
    Call low = client.call("test/Any");
    low.stream().request(1);
    Call high = client.call("test/Any");
    int lowId = server.awaitFrame(RawHttp2Connection.HEADERS).streamId();
    int highId = server.awaitFrame(RawHttp2Connection.HEADERS).streamId();
    assertTrue(highId > lowId);
    server.writeGoAway(lowId, Http2Error.NO_ERROR.code());

    assertCode(
        Status.UNAVAILABLE, client.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    Closed highClosed = high.awaitClosed();
    assertCode(Status.UNAVAILABLE, highClosed.status());
    assertEquals(StreamProgress.REFUSED, highClosed.progress(), "not processed: retry is safe");
    assertFalse(low.listener().closed.isDone());
    // New streams are refused at once, and may be retried on another connection.
    Closed late = client.call("test/Any").awaitClosed();
    assertCode(Status.UNAVAILABLE, late.status());
    assertEquals(StreamProgress.REFUSED, late.progress());

    server.writeHeaders(lowId, okHeaders(), false);
    server.writeData(lowId, grpcFrame("finishing"), false);
    server.writeHeaders(lowId, new DefaultHttp2Headers().add("grpc-status", "0"), true);
    assertArrayEquals(bytes("finishing"), low.listener().nextMessage());
    assertCode(Status.OK, low.awaitClosed().status());

    // Nothing left: the client closes the connection by itself.
    assertTrue(server.closedByPeer());
    client.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertEquals(List.of("ready", "shutdown", "terminated"), client.listener().events);
  }

  @Test
  void connectionLossFailsOpenStreamsUnavailable() throws Exception {
    connect();
    Call call = client.call("test/Any");
    server.awaitFrame(RawHttp2Connection.HEADERS);
    server.close();
    assertCode(Status.UNAVAILABLE, call.awaitClosed().status());
    assertCode(
        Status.UNAVAILABLE, client.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    client.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertEquals(List.of("ready", "shutdown", "terminated"), client.listener().events);
  }

  @Test
  void serverThatNeverSendsSettingsTimesOut() throws Exception {
    connect(Duration.ofMillis(300), true);
    Status status = client.listener().shutdown.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertCode(Status.UNAVAILABLE, status);
    assertTrue(status.getDescription().contains("SETTINGS"), status.toString());
    client.listener().terminated.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertFalse(client.listener().ready.isDone());
  }

  @Test
  void dataBeforeHeadersIsInternal() throws Exception {
    connect();
    Call call = client.call("test/Any");
    call.stream().request(1);
    int id = server.awaitFrame(RawHttp2Connection.HEADERS).streamId();
    server.writeData(id, grpcFrame("early"), false);
    assertCode(Status.INTERNAL, call.awaitClosed().status());
    assertNull(call.listener().messages.poll());
  }

  @Test
  void unknownResponseEncodingIsInternal() throws Exception {
    connect();
    Call call = client.call("test/Any");
    call.stream().request(1);
    int id = server.awaitFrame(RawHttp2Connection.HEADERS).streamId();
    Http2Headers resp = okHeaders();
    resp.add("grpc-encoding", "zstd-nope");
    server.writeHeaders(id, resp, false);
    Closed closed = call.awaitClosed();
    assertCode(Status.INTERNAL, closed.status());
    assertTrue(closed.status().getDescription().contains("zstd-nope"));
  }

  @Test
  void endStreamOnDataWithoutTrailersIsInternal() throws Exception {
    connect();
    Call call = client.call("test/Any");
    call.stream().request(1);
    int id = server.awaitFrame(RawHttp2Connection.HEADERS).streamId();
    server.writeHeaders(id, okHeaders(), false);
    server.writeData(id, grpcFrame("x"), true);
    assertCode(Status.INTERNAL, call.awaitClosed().status());
  }

  private static Http2Headers okHeaders() {
    Http2Headers h = new DefaultHttp2Headers().status("200");
    h.add("content-type", "application/grpc");
    return h;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] grpcFrame(String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageDeframerTest.writeFrame(out, 0, bytes(message));
    return out.toByteArray();
  }
}
