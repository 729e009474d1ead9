package dev.switchboard.osgi.channel.internal;

import static dev.switchboard.osgi.channel.ChannelProperties.TLS_CERT_FILE;
import static dev.switchboard.osgi.channel.ChannelProperties.TLS_TRUST_FILE;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientInterceptor;
import dev.switchboard.api.ClientKeepalive;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.TlsIdentity;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.osgi.channel.internal.ChannelSettings.Connection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;

/**
 * Turns {@link ChannelSettings} into {@link DialOptions} and a channel: reads the TLS files (a
 * certificate chain and key are followed on disk, {@link TlsIdentity#watching}), maps limits,
 * keepalive and idle timeout, and puts the channel's one interceptor (an {@link InterceptorChain})
 * in front. Every problem is an {@link IllegalArgumentException} naming the property. Stateless.
 */
final class ChannelDialer {
  /** How often a followed certificate chain and key are looked at, at most. */
  private static final Duration IDENTITY_CHECK_INTERVAL = Duration.ofSeconds(1);

  private ChannelDialer() {}

  /**
   * A new channel for {@code settings}.
   *
   * @throws IllegalArgumentException when a file cannot be read or used, or the channel refuses the
   *     target or the default service config
   */
  static ClientConn dial(ChannelSettings settings, ClientInterceptor interceptors) {
    return ClientConns.newClient(
        settings.connection().target(), dialOptions(settings, interceptors));
  }

  /**
   * The dial options of {@code settings}.
   *
   * @throws IllegalArgumentException when a file cannot be read or used
   */
  static DialOptions dialOptions(ChannelSettings settings, ClientInterceptor interceptors) {
    Connection c = settings.connection();
    DialOptions.Builder b =
        DialOptions.newBuilder()
            .credentials(credentials(c))
            .authority(c.authority())
            .defaultServiceConfig(settings.defaultServiceConfig())
            .intercept(interceptors);
    if (c.maxSendMessageSize() != null) {
      b.maxSendMessageSize(c.maxSendMessageSize());
    }
    if (c.maxReceiveMessageSize() != null) {
      b.maxReceiveMessageSize(c.maxReceiveMessageSize());
    }
    if (c.keepaliveTime() != null) {
      ClientKeepalive.Builder keepalive = ClientKeepalive.newBuilder().time(c.keepaliveTime());
      if (c.keepaliveTimeout() != null) {
        keepalive.timeout(c.keepaliveTimeout());
      }
      b.keepalive(keepalive.build());
    }
    if (Connection.NEVER.equals(c.idleTimeout())) {
      b.disableIdleTimeout();
    } else if (c.idleTimeout() != null) {
      b.idleTimeout(c.idleTimeout());
    }
    return b.build();
  }

  static TransportCredentials credentials(Connection c) {
    if (c.plaintext()) {
      return TransportCredentials.insecure();
    }
    TlsCredentials.Builder tls = TlsCredentials.newBuilder();
    if (c.trustFile() != null) {
      tls.rootCertificates(trustedCertificates(c.trustFile()));
    }
    if (c.certFile() != null) {
      try {
        tls.identity(
            TlsIdentity.watching(
                c.certFile(),
                c.keyFile(),
                c.keyPassword() == null ? null : c.keyPassword().toCharArray(),
                IDENTITY_CHECK_INTERVAL));
      } catch (UncheckedIOException e) {
        throw new IllegalArgumentException(
            TLS_CERT_FILE + " or its key cannot be read: " + e.getCause(), e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            TLS_CERT_FILE + " and its key cannot be used: " + e.getMessage(), e);
      }
    }
    return tls.build();
  }

  /** The PEM roots in {@code file}, checked to hold at least one X.509 certificate. */
  private static byte[] trustedCertificates(Path file) {
    byte[] pem;
    try {
      pem = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(TLS_TRUST_FILE + " cannot be read: " + e, e);
    }
    try {
      if (CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem))
          .isEmpty()) {
        throw new IllegalArgumentException(TLS_TRUST_FILE + " holds no certificate: " + file);
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          TLS_TRUST_FILE + " holds no readable certificate: " + file + ": " + e.getMessage(), e);
    }
    return pem;
  }
}
