package dev.switchboard.cli;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.stub.MetadataUtils;
import dev.switchboard.clientconn.ClientConns;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** A channel to the target, built from the shared options; connected before it is returned. */
final class Connection implements AutoCloseable {
  private final ClientConn channel;

  private Connection(ClientConn channel) {
    this.channel = channel;
  }

  static Connection open(ConnectionOptions options, String target) throws CliException {
    DialOptions.Builder dial =
        DialOptions.newBuilder()
            .credentials(credentials(options))
            .authority(options.authority)
            .maxReceiveMessageSize(options.maxMessageSize)
            .userAgent("switchboard-cli")
            .block(options.connectTimeout);
    Metadata headers = headers(options);
    if (!headers.keys().isEmpty()) {
      dial.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    try {
      return new Connection(ClientConns.newClient(target, dial.build()));
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      throw CliException.of(
          status.withDescription(
              "failed to connect to " + target + ": " + status.getDescription()));
    } catch (IllegalArgumentException e) {
      throw new CliException(
          Main.EXIT_USAGE, "ERROR: bad target " + target + ": " + e.getMessage());
    }
  }

  ClientConn channel() {
    return channel;
  }

  @Override
  public void close() {
    channel.close();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static TransportCredentials credentials(ConnectionOptions options) throws CliException {
    if (options.plaintext) {
      if (options.insecure || options.cacert != null || options.cert != null) {
        throw new CliException(
            Main.EXIT_USAGE, "ERROR: --plaintext excludes --insecure, --cacert and --cert");
      }
      return TransportCredentials.insecure();
    }
    TlsCredentials.Builder tls = TlsCredentials.newBuilder();
    try {
      if (options.insecure) {
        tls.trustManager(new TrustEverything());
      } else if (options.cacert != null) {
        tls.rootCertificates(Files.readAllBytes(options.cacert));
      }
      if ((options.cert == null) != (options.key == null)) {
        throw new CliException(Main.EXIT_USAGE, "ERROR: --cert and --key go together");
      }
      if (options.cert != null) {
        tls.keyPair(Files.readAllBytes(options.cert), Files.readAllBytes(options.key));
      }
      return tls.build();
    } catch (IOException e) {
      throw CliException.failed("cannot read " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw CliException.failed("bad TLS material: " + e.getMessage());
    }
  }

  private static Metadata headers(ConnectionOptions options) throws CliException {
    Metadata headers = new Metadata();
    for (String header : options.headers) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new CliException(
            Main.EXIT_USAGE, "ERROR: header must be 'name: value', not " + header);
      }
      String name = header.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      try {
        if (Metadata.isBinaryKey(name)) {
          headers.putBinary(name, Base64.getDecoder().decode(value));
        } else {
          headers.put(name, value);
        }
      } catch (IllegalArgumentException e) {
        throw new CliException(
            Main.EXIT_USAGE, "ERROR: bad header " + header + ": " + e.getMessage());
      }
    }
    return headers;
  }

  /** {@code --insecure}: accepts any server certificate, for any host name. */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
