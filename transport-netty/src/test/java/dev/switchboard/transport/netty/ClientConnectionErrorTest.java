package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.api.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ClientConnectionErrorTest {
  private final InetSocketAddress address = InetSocketAddress.createUnresolved("db", 50051);
  private final ClientConnectionError error = new ClientConnectionError(address);

  private static Status reset() {
    return Status.UNAVAILABLE
        .withDescription("connection reset")
        .withCause(new IOException("Connection reset by peer"));
  }

  @Test
  void theFirstFailureWins() {
    assertNull(error.get());
    Status first = Status.INTERNAL.withDescription("HTTP/2 protocol error");
    error.connectionFailed(first, true, true);
    error.record(Status.UNAVAILABLE.withDescription("shut down"));
    error.connectFailed(new ConnectException("refused"));
    assertSame(first, error.get());
    assertSame(first, error.onClose(true), "streams fail with the first failure");
  }

  @Test
  void anIoErrorBeforeTheServersSettingsSaysSoWithTheHint() {
    error.earlyCloseHint(" (is it a TLS port?)");
    error.connectionFailed(reset(), false, false);
    assertEquals(
        "connection reset, before the server's HTTP/2 settings arrived (is it a TLS port?)",
        error.get().getDescription());
  }

  @Test
  void anIoErrorAfterTheSettingsAndAProtocolErrorAreKeptAsTheyAre() {
    Status afterSettings = reset();
    error.connectionFailed(afterSettings, false, true);
    assertSame(afterSettings, error.get());

    ClientConnectionError other = new ClientConnectionError(address);
    Status protocol = reset();
    other.connectionFailed(protocol, true, false);
    assertSame(protocol, other.get());
  }

  @Test
  void aCloseWithoutFailureNamesTheAddressAndWhetherTheSettingsHadCome() {
    error.earlyCloseHint(" (hint)");
    assertEquals("connection to " + address + " closed", error.onClose(true).getDescription());
    assertEquals(
        "connection to " + address + " closed before the server's HTTP/2 settings arrived (hint)",
        error.onClose(false).getDescription());
    assertNull(error.get(), "a clean close records nothing");
  }

  @Test
  void aFailedConnectNamesTheAddressAndKeepsTheCause() {
    ConnectException refused = new ConnectException("Connection refused");
    error.connectFailed(refused);
    assertEquals(Status.Code.UNAVAILABLE, error.get().getCode());
    assertEquals(
        "connect to " + address + " failed: Connection refused", error.get().getDescription());
    assertSame(refused, error.get().getCause());
  }
}
