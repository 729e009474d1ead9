package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.clientconn.ClientConns;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's header list limit ({@link DialOptions.Builder#maxHeaderListSize}) over loopback. */
class HeaderListSizeEndToEndTest {
  /** 12 KiB of trailer bytes, 16 KiB once base64-encoded: over the 8 KiB default. */
  private static final byte[] BIG_TRAILER = new byte[12 * 1024];

  private final EchoService service = new EchoService("s1");
  private Server server;

  @BeforeEach
  void setUp() throws Exception {
    Arrays.fill(BIG_TRAILER, (byte) 7);
    server =
        Loopback.start(
            service, ServerOptions.newBuilder().insecure().maxInboundMetadataSize(64 * 1024));
  }

  @AfterEach
  void tearDown() throws Exception {
    server.shutdownNow();
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void trailersOverTheDefaultLimitFailTheCall() throws Exception {
    ClientConn conn = ClientConns.newClient(Loopback.target(server), Loopback.insecure().build());
    try {
      RecordingListener<StringValue> l = callWithBigTrailer(conn);
      assertNotEquals(Status.Code.OK, l.awaitClose().getCode());
    } finally {
      conn.close();
      assertTrue(conn.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aLargerLimitAcceptsThem() throws Exception {
    ClientConn conn =
        ClientConns.newClient(
            Loopback.target(server), Loopback.insecure().maxHeaderListSize(64 * 1024).build());
    try {
      RecordingListener<StringValue> l = callWithBigTrailer(conn);
      assertEquals(Status.Code.OK, l.awaitClose().getCode());
      assertArrayEquals(BIG_TRAILER, l.trailers.getBinary("x-echo-trailing-bin"));
    } finally {
      conn.close();
      assertTrue(conn.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  private static RecordingListener<StringValue> callWithBigTrailer(ClientConn conn) {
    Metadata headers = new Metadata().putBinary("x-echo-trailing-bin", BIG_TRAILER);
    return Loopback.call(conn, EchoService.UNARY, CallOptions.DEFAULT, headers, str("hi"));
  }
}
