package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CredentialsTest {
  @Test
  void neitherSideDefaultsToPlaintext() {
    IllegalStateException dial =
        assertThrows(IllegalStateException.class, () -> DialOptions.newBuilder().build());
    assertTrue(dial.getMessage().contains("insecure()"), dial.getMessage());
    IllegalStateException server =
        assertThrows(IllegalStateException.class, () -> ServerOptions.newBuilder().port(0).build());
    assertTrue(server.getMessage().contains("insecure()"), server.getMessage());
    assertSame(
        TransportCredentials.insecure(),
        ServerOptions.newBuilder().port(0).insecure().build().credentials());
  }

  @Test
  void tlsCredentialsCopyTheirPemAndCheckClientAuthHasAnIdentity() {
    byte[] roots = {1, 2, 3};
    TlsCredentials tls = TlsCredentials.newBuilder().rootCertificates(roots).build();
    roots[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, tls.rootCertificates());
    assertFalse(tls.isInsecure());
    assertFalse(tls.hasIdentity());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                TlsCredentials.newBuilder().clientAuth(TlsCredentials.ClientAuth.REQUIRE).build());
    assertTrue(e.getMessage().contains("keyPair"), e.getMessage());
  }

  @Test
  void thirdPartiesCanDefineCredentials() {
    TransportCredentials custom = new TransportCredentials() {};
    assertFalse(custom.isInsecure());
  }

  @Test
  void compositeCredentialsRefusePlaintextAndNesting() {
    CallCredentials none =
        new CallCredentials() {
          @Override
          public java.util.concurrent.CompletionStage<Metadata> requestMetadata(RequestInfo info) {
            return java.util.concurrent.CompletableFuture.completedFuture(new Metadata());
          }
        };
    assertThrows(
        IllegalArgumentException.class,
        () -> CompositeCredentials.of(TransportCredentials.insecure(), none));
    CompositeCredentials tls = CompositeCredentials.of(TlsCredentials.newBuilder().build(), none);
    assertFalse(tls.isInsecure());
    assertSame(none, tls.callCredentials());
    assertThrows(IllegalArgumentException.class, () -> CompositeCredentials.of(tls, none));
  }
}
