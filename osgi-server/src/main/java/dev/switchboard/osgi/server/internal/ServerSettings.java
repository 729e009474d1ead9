package dev.switchboard.osgi.server.internal;

import static dev.switchboard.osgi.server.WhiteboardConstants.EXECUTOR;
import static dev.switchboard.osgi.server.WhiteboardConstants.EXECUTOR_DEFAULT;
import static dev.switchboard.osgi.server.WhiteboardConstants.EXECUTOR_DIRECT;
import static dev.switchboard.osgi.server.WhiteboardConstants.HANDSHAKE_TIMEOUT_SECONDS;
import static dev.switchboard.osgi.server.WhiteboardConstants.HOST;
import static dev.switchboard.osgi.server.WhiteboardConstants.KEEPALIVE_TIMEOUT_SECONDS;
import static dev.switchboard.osgi.server.WhiteboardConstants.KEEPALIVE_TIME_SECONDS;
import static dev.switchboard.osgi.server.WhiteboardConstants.MAX_CONCURRENT_CALLS_PER_CONNECTION;
import static dev.switchboard.osgi.server.WhiteboardConstants.MAX_CONNECTION_AGE_GRACE_SECONDS;
import static dev.switchboard.osgi.server.WhiteboardConstants.MAX_CONNECTION_AGE_SECONDS;
import static dev.switchboard.osgi.server.WhiteboardConstants.MAX_CONNECTION_IDLE_SECONDS;
import static dev.switchboard.osgi.server.WhiteboardConstants.MAX_INBOUND_MESSAGE_SIZE;
import static dev.switchboard.osgi.server.WhiteboardConstants.MAX_INBOUND_METADATA_SIZE;
import static dev.switchboard.osgi.server.WhiteboardConstants.PERMIT_KEEPALIVE_TIME_SECONDS;
import static dev.switchboard.osgi.server.WhiteboardConstants.PERMIT_KEEPALIVE_WITHOUT_CALLS;
import static dev.switchboard.osgi.server.WhiteboardConstants.PORT;
import static dev.switchboard.osgi.server.WhiteboardConstants.SHUTDOWN_TIMEOUT_SECONDS;
import static dev.switchboard.osgi.server.WhiteboardConstants.TLS_CERTIFICATE;
import static dev.switchboard.osgi.server.WhiteboardConstants.TLS_CLIENT_AUTH;
import static dev.switchboard.osgi.server.WhiteboardConstants.TLS_KEY;
import static dev.switchboard.osgi.server.WhiteboardConstants.TLS_KEY_PASSWORD;
import static dev.switchboard.osgi.server.WhiteboardConstants.TLS_TRUST;
import static dev.switchboard.osgi.server.WhiteboardConstants.TRANSPORT;
import static dev.switchboard.osgi.server.WhiteboardConstants.WHITEBOARD_TARGET;

import dev.switchboard.api.DialOptions;
import dev.switchboard.api.ServerKeepalive;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.api.TlsIdentity;
import dev.switchboard.osgi.server.WhiteboardConstants;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * A server configuration, read and checked: {@link #parse} turns Configuration Admin properties
 * (strings, as {@code .cfg} files give them, or typed values) into settings, or throws {@link
 * IllegalArgumentException} naming the property and the bad value. Immutable.
 *
 * <p>The settings split in two: {@link Listening}, everything the server is built with (changing
 * any of it needs a new server), and what applies to a running one (the whiteboard target, the
 * shutdown timeout). Files (TLS) are named here and read by {@link Listening#toOptions()}, which
 * reports a missing or bad file the same way.
 *
 * @param listening what the server is built with
 * @param target the whiteboard filter, checked
 * @param shutdownTimeout how long calls get to finish when the server is shut down
 */
record ServerSettings(Listening listening, String target, Duration shutdownTimeout) {

  /** Where handler callbacks run. */
  enum ExecutorChoice {
    DEFAULT,
    DIRECT
  }

  /**
   * Everything a server is built with; equal values build equal servers.
   *
   * @param host the host to listen on, empty for every interface
   * @param port the port, 0 for a free one
   * @param tlsCertificate the certificate chain file, or null for plaintext
   * @param tlsKey the key file, null exactly when {@code tlsCertificate} is
   * @param tlsKeyPassword the key's password, or null
   * @param tlsTrust the root certificates file for client certificates, or null
   * @param clientAuth whether client certificates are asked for
   * @param maxInboundMessageSize bytes
   * @param maxInboundMetadataSize bytes
   * @param maxConcurrentCallsPerConnection calls
   * @param handshakeTimeout the handshake limit
   * @param keepalive keepalive and connection management
   * @param permitKeepAliveTime the shortest client PING interval tolerated
   * @param permitKeepAliveWithoutCalls whether client PINGs are tolerated without calls
   * @param executor where callbacks run
   * @param transport the transport provider's name
   */
  record Listening(
      String host,
      int port,
      String tlsCertificate,
      String tlsKey,
      String tlsKeyPassword,
      String tlsTrust,
      TlsCredentials.ClientAuth clientAuth,
      int maxInboundMessageSize,
      int maxInboundMetadataSize,
      int maxConcurrentCallsPerConnection,
      Duration handshakeTimeout,
      ServerKeepalive keepalive,
      Duration permitKeepAliveTime,
      boolean permitKeepAliveWithoutCalls,
      ExecutorChoice executor,
      String transport) {

    /** {@return whether the server listens with TLS} */
    boolean tls() {
      return tlsCertificate != null;
    }

    /** {@return what the server listens on, as {@code host:port}} */
    String address() {
      return (host.isEmpty() ? "*" : host) + ":" + port;
    }

    /**
     * {@return the options of a server built from these settings, without services: the whiteboard
     * binds them}
     *
     * @throws IllegalArgumentException when a TLS file cannot be read or holds no valid PEM, or the
     *     host cannot be resolved
     */
    ServerOptions toOptions() {
      InetSocketAddress address =
          host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
      if (address.isUnresolved()) {
        throw new IllegalArgumentException(HOST + ": cannot resolve '" + host + "'");
      }
      ServerOptions.Builder b =
          ServerOptions.newBuilder()
              .listen(address)
              .maxInboundMessageSize(maxInboundMessageSize)
              .maxInboundMetadataSize(maxInboundMetadataSize)
              .maxConcurrentCallsPerConnection(maxConcurrentCallsPerConnection)
              .handshakeTimeout(handshakeTimeout)
              .keepalive(keepalive)
              .permitKeepAliveTime(permitKeepAliveTime)
              .permitKeepAliveWithoutCalls(permitKeepAliveWithoutCalls)
              .transport(transport);
      if (executor == ExecutorChoice.DIRECT) {
        b.executor(Runnable::run);
      }
      if (!tls()) {
        return b.insecure().build();
      }
      TlsCredentials.Builder tlsBuilder = TlsCredentials.newBuilder().clientAuth(clientAuth);
      try {
        tlsBuilder.identity(
            TlsIdentity.watching(
                Path.of(tlsCertificate),
                Path.of(tlsKey),
                tlsKeyPassword == null ? null : tlsKeyPassword.toCharArray(),
                Duration.ofSeconds(1)));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(TLS_CERTIFICATE + "/" + TLS_KEY + ": " + describe(e), e);
      }
      if (tlsTrust != null) {
        try {
          tlsBuilder.rootCertificates(Files.readAllBytes(Path.of(tlsTrust)));
        } catch (IOException | RuntimeException e) {
          throw new IllegalArgumentException(TLS_TRUST + ": " + describe(e), e);
        }
      }
      return b.credentials(tlsBuilder.build()).build();
    }

    @Override
    public String toString() {
      // Never shows the key password.
      return "Listening[" + address() + (tls() ? ", tls" : ", plaintext") + ", " + transport + "]";
    }
  }

  /**
   * Reads a configuration.
   *
   * @param props the configuration's properties; unknown ones are ignored
   * @return the settings
   * @throws IllegalArgumentException naming the first bad property and its value
   */
  static ServerSettings parse(Map<String, ?> props) {
    Reader r = new Reader(props);
    String host = r.string(HOST, "");
    if (r.optionalString(PORT) == null) {
      throw new IllegalArgumentException(PORT + ": required (0 picks a free port)");
    }
    int port = (int) r.integer(PORT, 0, 0, 65535);
    String certificate = r.optionalString(TLS_CERTIFICATE);
    String key = r.optionalString(TLS_KEY);
    if ((certificate == null) != (key == null)) {
      throw new IllegalArgumentException(
          TLS_CERTIFICATE + " and " + TLS_KEY + ": set both for TLS, or neither for plaintext");
    }
    String password = r.optionalString(TLS_KEY_PASSWORD);
    String trust = r.optionalString(TLS_TRUST);
    TlsCredentials.ClientAuth clientAuth =
        r.choice(TLS_CLIENT_AUTH, TlsCredentials.ClientAuth.class, TlsCredentials.ClientAuth.NONE);
    if (certificate == null
        && (clientAuth != TlsCredentials.ClientAuth.NONE || trust != null || password != null)) {
      throw new IllegalArgumentException(
          TLS_CLIENT_AUTH
              + ", "
              + TLS_TRUST
              + " and "
              + TLS_KEY_PASSWORD
              + " need TLS: set "
              + TLS_CERTIFICATE
              + " and "
              + TLS_KEY);
    }
    int maxMessage =
        (int)
            r.integer(
                MAX_INBOUND_MESSAGE_SIZE,
                ServerOptions.DEFAULT_MAX_INBOUND_MESSAGE_SIZE,
                0,
                Integer.MAX_VALUE);
    int maxMetadata =
        (int)
            r.integer(
                MAX_INBOUND_METADATA_SIZE,
                ServerOptions.DEFAULT_MAX_INBOUND_METADATA_SIZE,
                1,
                Integer.MAX_VALUE);
    int maxCalls =
        (int)
            r.integer(
                MAX_CONCURRENT_CALLS_PER_CONNECTION,
                ServerOptions.DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION,
                1,
                Integer.MAX_VALUE);
    Duration handshake =
        r.seconds(HANDSHAKE_TIMEOUT_SECONDS, ServerOptions.DEFAULT_HANDSHAKE_TIMEOUT, 1);
    ServerKeepalive.Builder keepalive =
        ServerKeepalive.newBuilder()
            .time(r.secondsOrNever(KEEPALIVE_TIME_SECONDS, ServerKeepalive.DEFAULT_TIME))
            .timeout(r.seconds(KEEPALIVE_TIMEOUT_SECONDS, ServerKeepalive.DEFAULT_TIMEOUT, 1))
            .maxConnectionIdle(
                r.secondsOrNever(MAX_CONNECTION_IDLE_SECONDS, ServerKeepalive.INFINITE))
            .maxConnectionAge(
                r.secondsOrNever(MAX_CONNECTION_AGE_SECONDS, ServerKeepalive.INFINITE));
    if (r.optionalString(MAX_CONNECTION_AGE_GRACE_SECONDS) != null) {
      keepalive.maxConnectionAgeGrace(
          r.seconds(MAX_CONNECTION_AGE_GRACE_SECONDS, ServerKeepalive.INFINITE, 0));
    }
    Duration permitTime =
        r.seconds(PERMIT_KEEPALIVE_TIME_SECONDS, ServerOptions.DEFAULT_PERMIT_KEEPALIVE_TIME, 0);
    boolean permitWithoutCalls = r.bool(PERMIT_KEEPALIVE_WITHOUT_CALLS, false);
    String executor = r.string(EXECUTOR, EXECUTOR_DEFAULT).toLowerCase(Locale.ROOT);
    ExecutorChoice choice =
        switch (executor) {
          case EXECUTOR_DEFAULT -> ExecutorChoice.DEFAULT;
          case EXECUTOR_DIRECT -> ExecutorChoice.DIRECT;
          default ->
              throw new IllegalArgumentException(
                  EXECUTOR
                      + ": '"
                      + executor
                      + "' is not one of "
                      + EXECUTOR_DEFAULT
                      + ", "
                      + EXECUTOR_DIRECT);
        };
    String transport = r.string(TRANSPORT, DialOptions.DEFAULT_TRANSPORT);
    String target = r.string(WHITEBOARD_TARGET, WhiteboardConstants.DEFAULT_TARGET);
    try {
      FrameworkUtil.createFilter(target);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException(
          WHITEBOARD_TARGET + ": '" + target + "' is not an LDAP filter: " + e.getMessage(), e);
    }
    Duration shutdown = r.seconds(SHUTDOWN_TIMEOUT_SECONDS, Duration.ofSeconds(30), 0);
    return new ServerSettings(
        new Listening(
            host,
            port,
            certificate,
            key,
            password,
            trust,
            clientAuth,
            maxMessage,
            maxMetadata,
            maxCalls,
            handshake,
            keepalive.build(),
            permitTime,
            permitWithoutCalls,
            choice,
            transport),
        target,
        shutdown);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.toString() : message;
  }

  /** Reads typed values out of a configuration, naming the property in each complaint. */
  private record Reader(Map<String, ?> props) {
    Reader {
      Objects.requireNonNull(props, "props");
    }

    /** The trimmed string value; absent or blank is null. */
    String optionalString(String key) {
      Object v = props.get(key);
      if (v == null) {
        return null;
      }
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw new IllegalArgumentException(key + ": " + shown(v) + " is not a single value");
      }
      String s = v.toString().trim();
      return s.isEmpty() ? null : s;
    }

    String string(String key, String defaultValue) {
      String s = optionalString(key);
      return s == null ? defaultValue : s;
    }

    long integer(String key, long defaultValue, long min, long max) {
      Object v = props.get(key);
      long value;
      if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        value = ((Number) v).longValue();
      } else {
        String s = optionalString(key);
        if (s == null) {
          return defaultValue;
        }
        try {
          value = Long.parseLong(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(key + ": " + shown(v) + " is not an integer");
        }
      }
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            key + ": " + value + " is out of range [" + min + ", " + max + "]");
      }
      return value;
    }

    /** Whole seconds, at least {@code min}. */
    Duration seconds(String key, Duration defaultValue, long min) {
      Object v = props.get(key);
      if (v == null || optionalString(key) == null) {
        return defaultValue;
      }
      return Duration.ofSeconds(integer(key, 0, min, Integer.MAX_VALUE));
    }

    /** Whole seconds where 0 means never ({@link ServerKeepalive#INFINITE}). */
    Duration secondsOrNever(String key, Duration defaultValue) {
      Duration d = seconds(key, defaultValue, 0);
      return d.isZero() ? ServerKeepalive.INFINITE : d;
    }

    boolean bool(String key, boolean defaultValue) {
      Object v = props.get(key);
      if (v instanceof Boolean b) {
        return b;
      }
      String s = optionalString(key);
      if (s == null) {
        return defaultValue;
      }
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default ->
            throw new IllegalArgumentException(key + ": " + shown(v) + " is not true or false");
      };
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
      String s = optionalString(key);
      if (s == null) {
        return defaultValue;
      }
      try {
        return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            key
                + ": "
                + shown(s)
                + " is not one of "
                + java.util.Arrays.toString(type.getEnumConstants()));
      }
    }

    private static String shown(Object v) {
      if (v instanceof String s) {
        return "'" + (s.length() > 100 ? s.substring(0, 100) + "..." : s) + "'";
      }
      return v.getClass().isArray() ? "an array" : v + " (" + v.getClass().getSimpleName() + ")";
    }
  }
}
