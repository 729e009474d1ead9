package dev.switchboard.transport.netty;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;

/**
 * Which TLS implementation the transport's connections use: OpenSSL (BoringSSL, through {@code
 * io.netty:netty-tcnative-boringssl-static}) when it is present, loads, and supports ALPN and TLS
 * 1.3, else the JDK's. System property {@value #PROPERTY} = {@code auto} (the default), {@code jdk}
 * or {@code openssl} forces one; {@code openssl} when OpenSSL cannot be used is an error saying
 * why. Immutable.
 *
 * @param provider Netty's provider: {@link SslProvider#OPENSSL} (contexts freed by the garbage
 *     collector, so nothing to release) or {@link SslProvider#JDK}
 * @param reason why it was chosen
 */
record TlsProviderChoice(SslProvider provider, String reason) {
  /** The system property forcing a provider. */
  static final String PROPERTY = "dev.switchboard.netty.tls.provider";

  private static final System.Logger LOG = System.getLogger(TlsProviderChoice.class.getName());

  /**
   * {@return the provider {@code setting} asks for}
   *
   * @param setting {@code auto}, {@code jdk}, {@code openssl}, or null for {@code auto}
   * @throws IllegalArgumentException when {@code setting} is unknown, or is {@code openssl} and
   *     OpenSSL cannot be used
   */
  static TlsProviderChoice choose(String setting) {
    String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    TlsProviderChoice choice =
        switch (s) {
          case "jdk" -> new TlsProviderChoice(SslProvider.JDK, PROPERTY + "=jdk");
          case "openssl" -> {
            String problem = openSslProblem();
            if (problem != null) {
              throw new IllegalArgumentException(
                  PROPERTY + "=openssl, but OpenSSL cannot be used: " + problem);
            }
            yield new TlsProviderChoice(SslProvider.OPENSSL, PROPERTY + "=openssl");
          }
          case "auto", "" -> {
            String problem = openSslProblem();
            yield problem == null
                ? new TlsProviderChoice(SslProvider.OPENSSL, "netty-tcnative found")
                : new TlsProviderChoice(SslProvider.JDK, problem);
          }
          default ->
              throw new IllegalArgumentException(
                  PROPERTY + "=" + setting + " is not one of auto, jdk, openssl");
        };
    LOG.log(System.Logger.Level.DEBUG, () -> "TLS by " + choice.describe());
    return choice;
  }

  /** {@return why OpenSSL cannot be used here, or null when it can} */
  static String openSslProblem() {
    if (!OpenSsl.isAvailable()) {
      Throwable cause = OpenSsl.unavailabilityCause();
      return "netty-tcnative is not available"
          + (cause instanceof ClassNotFoundException || cause instanceof NoClassDefFoundError
              ? " (io.netty:netty-tcnative-boringssl-static is not on the class path)"
              : " (" + cause + ")");
    }
    if (!SslProvider.isAlpnSupported(SslProvider.OPENSSL)) {
      return OpenSsl.versionString() + " lacks ALPN";
    }
    if (!SslProvider.isTlsv13Supported(SslProvider.OPENSSL)) {
      return OpenSsl.versionString() + " lacks TLS 1.3";
    }
    return null;
  }

  /** {@return the provider and version, then why, as shown in a channel's wiring} */
  String describe() {
    String what =
        provider == SslProvider.OPENSSL
            ? "OpenSSL (" + OpenSsl.versionString() + ")"
            : "the JDK (" + jdkProvider() + ")";
    return what + ", " + reason;
  }

  private static String jdkProvider() {
    try {
      return javax.net.ssl.SSLContext.getDefault().getProvider().toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      return "no default SSLContext";
    }
  }
}
