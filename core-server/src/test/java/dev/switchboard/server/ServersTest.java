package dev.switchboard.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.transport.TransportRegistry;
import org.junit.jupiter.api.Test;

class ServersTest {
  @Test
  void newServerIsUnstartedAndNamesMissingTransportOnStart() {
    Server server =
        Servers.newServer(
            ServerOptions.newBuilder()
                .insecure()
                .port(0)
                .transport("carrier-pigeon")
                .transportRegistry(new TransportRegistry())
                .build());
    assertFalse(server.isShutdown());
    IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
    assertTrue(e.getMessage().contains("no transport 'carrier-pigeon' deployed"), e.getMessage());
    server.shutdown();
    assertTrue(server.isTerminated());
  }

  @Test
  void aServerWithoutCredentialsIsAnErrorSayingHowToChoose() {
    ServerOptions.Builder b = ServerOptions.newBuilder().port(0);
    IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
    assertTrue(e.getMessage().contains("no transport credentials"), e.getMessage());
    assertTrue(e.getMessage().contains("insecure()"), e.getMessage());
    assertTrue(e.getMessage().contains("TlsCredentials"), e.getMessage());
  }
}
