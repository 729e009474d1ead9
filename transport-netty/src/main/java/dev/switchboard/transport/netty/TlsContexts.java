package dev.switchboard.transport.netty;

import dev.switchboard.api.TlsCredentials;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import javax.net.ssl.SSLException;

/**
 * Turns {@link TlsCredentials} into Netty {@link SslContext}s: the chosen provider (OpenSSL or the
 * JDK, see {@link TlsProviderChoice}), TLS 1.3 and 1.2, the cipher suites HTTP/2 allows (RFC 9113
 * section 9.2.2), ALPN offering only {@code h2}. A {@link dev.switchboard.api.TlsIdentity} is read
 * at each handshake through an {@link IdentityKeyManager}, so replacing it changes what new
 * connections present.
 */
final class TlsContexts {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private static final ApplicationProtocolConfig ALPN =
      new ApplicationProtocolConfig(
          ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_2);

  private TlsContexts() {}

  /**
   * {@return a client context}
   *
   * @throws IllegalArgumentException when the credentials' PEM cannot be read
   */
  static SslContext forClient(TlsCredentials credentials, TlsProviderChoice choice) {
    SslContextBuilder b = SslContextBuilder.forClient();
    if (credentials.keyManager() != null) {
      b.keyManager(credentials.keyManager());
    } else if (credentials.identity() != null) {
      b.keyManager(new IdentityKeyManager(credentials.identity()));
    }
    SslContext context =
        build(trust(b, credentials).endpointIdentificationAlgorithm("HTTPS"), choice);
    return credentials.identity() == null
        ? context
        : new ResumptionGuard(context, credentials.identity());
  }

  /**
   * {@return a server context}
   *
   * @throws IllegalArgumentException when the credentials have no identity or unreadable PEM
   */
  static SslContext forServer(TlsCredentials credentials, TlsProviderChoice choice) {
    SslContextBuilder b;
    if (credentials.keyManager() != null) {
      b = SslContextBuilder.forServer(credentials.keyManager());
    } else if (credentials.identity() != null) {
      b = SslContextBuilder.forServer(new IdentityKeyManager(credentials.identity()));
    } else {
      throw new IllegalArgumentException(
          "TLS server credentials need a certificate and key: TlsCredentials.newBuilder()"
              + ".keyPair(chainPem, keyPem), .identity(TlsIdentity) or .keyManager(...)");
    }
    b.clientAuth(
        switch (credentials.clientAuth()) {
          case NONE -> ClientAuth.NONE;
          case OPTIONAL -> ClientAuth.OPTIONAL;
          case REQUIRE -> ClientAuth.REQUIRE;
        });
    return build(trust(b, credentials), choice);
  }

  private static SslContextBuilder trust(SslContextBuilder b, TlsCredentials credentials) {
    if (credentials.trustManager() != null) {
      b.trustManager(credentials.trustManager());
    } else if (credentials.rootCertificates() != null) {
      b.trustManager(PemKeys.certificates(credentials.rootCertificates(), "root certificates"));
    }
    return b;
  }

  private static SslContext build(SslContextBuilder b, TlsProviderChoice choice) {
    try {
      return b.sslProvider(choice.provider())
          .protocols(PROTOCOLS)
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(ALPN)
          .build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("unusable TLS credentials: " + e.getMessage(), e);
    }
  }
}
