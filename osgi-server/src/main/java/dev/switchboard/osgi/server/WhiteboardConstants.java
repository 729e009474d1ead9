package dev.switchboard.osgi.server;

/**
 * Every name the OSGi server bundle reads or publishes, in one place: the whiteboard's service
 * properties, the server configuration's factory PID and its properties, and what a running
 * server's service carries. README.md has the same table, checked against this class by a test.
 *
 * <p><b>The whiteboard.</b> Register a gRPC service as an OSGi service under {@code
 * dev.switchboard.api.BindableService} (a generated {@code ImplBase} subclass, or any supplier of a
 * {@code ServiceDefinition}), and server interceptors under {@code
 * dev.switchboard.api.ServerInterceptor}, each with {@link #WHITEBOARD_PROPERTY}{@code =true}.
 * Every server configured under {@link #SERVER_FACTORY_PID} whose {@link #WHITEBOARD_TARGET} filter
 * matches the service's properties binds it while it is registered: calls started after it is
 * unregistered get {@code UNIMPLEMENTED}, calls already running finish. Of two services with the
 * same gRPC service name, the higher {@code service.ranking} (then the lower {@code service.id}) is
 * bound, and the other takes its place if it goes. Interceptors apply to every service the server
 * binds, the highest {@code service.ranking} seeing each call first; when they change, the services
 * are re-bound with them and no call fails.
 *
 * <p><b>Servers.</b> Each factory configuration of {@link #SERVER_FACTORY_PID} starts a server,
 * published as a {@code dev.switchboard.api.Server} service with the configuration's properties
 * (less {@link #TLS_KEY_PASSWORD}) and {@link #SERVER_PORT}. Changing a property that the server
 * listens with (all but {@link #WHITEBOARD_TARGET} and {@link #SHUTDOWN_TIMEOUT_SECONDS}) starts a
 * new server and shuts the old one down gracefully; the others apply live. Deleting the
 * configuration shuts the server down gracefully. A configuration with a bad value starts nothing
 * and is logged (and reported as the component's failure by Declarative Services); a bad update
 * leaves the running server as it was. Values may be strings (as in Karaf's {@code etc/*.cfg}) or
 * typed; durations are whole seconds.
 *
 * @since 0.3
 */
public final class WhiteboardConstants {
  /**
   * Service property marking a {@code BindableService} or {@code ServerInterceptor} service for the
   * whiteboard; the default {@link #WHITEBOARD_TARGET} matches it set to {@code true}.
   */
  public static final String WHITEBOARD_PROPERTY = "switchboard.whiteboard";

  /** The default of {@link #WHITEBOARD_TARGET}: services with {@link #WHITEBOARD_PROPERTY}=true. */
  public static final String DEFAULT_TARGET = "(" + WHITEBOARD_PROPERTY + "=true)";

  /** Factory PID of server configurations: each configuration starts one server. */
  public static final String SERVER_FACTORY_PID = "dev.switchboard.server";

  /**
   * Property of each running server's {@code Server} service: the port it is bound to (an {@code
   * Integer}), the real one when the configuration asked for port 0.
   */
  public static final String SERVER_PORT = "switchboard.server.port";

  /**
   * Configuration: an LDAP filter over service properties choosing the {@code BindableService} and
   * {@code ServerInterceptor} services the server binds ({@link #DEFAULT_TARGET} by default).
   * Applied live.
   */
  public static final String WHITEBOARD_TARGET = "whiteboard.target";

  /** Configuration: the host name or IP address to listen on; empty (the default) for all. */
  public static final String HOST = "host";

  /** Configuration: the port to listen on, 0 to 65535 (0 picks a free one); required. */
  public static final String PORT = "port";

  /**
   * Configuration: path of the PEM certificate chain (leaf first) the server presents; with {@link
   * #TLS_KEY}, TLS is on. Empty (the default) for plaintext. The files are read again when they
   * change (certificate rotation without a restart).
   */
  public static final String TLS_CERTIFICATE = "tls.certificate";

  /** Configuration: path of the PEM private key of {@link #TLS_CERTIFICATE}. */
  public static final String TLS_KEY = "tls.key";

  /**
   * Configuration: the password of an encrypted PKCS#8 {@link #TLS_KEY}; never published with the
   * server's service.
   */
  public static final String TLS_KEY_PASSWORD = "tls.key.password";

  /**
   * Configuration: path of PEM root certificates that client certificates are verified against;
   * empty (the default) for the platform's trust store.
   */
  public static final String TLS_TRUST = "tls.trust";

  /**
   * Configuration: client certificates, {@code NONE} (the default), {@code OPTIONAL} or {@code
   * REQUIRE}.
   */
  public static final String TLS_CLIENT_AUTH = "tls.client.auth";

  /** Configuration: the largest request message accepted, in bytes (4 MiB by default). */
  public static final String MAX_INBOUND_MESSAGE_SIZE = "max.inbound.message.size";

  /**
   * Configuration: the largest request header block accepted, in bytes, advertised as HTTP/2 {@code
   * SETTINGS_MAX_HEADER_LIST_SIZE} (8 KiB by default).
   */
  public static final String MAX_INBOUND_METADATA_SIZE = "max.inbound.metadata.size";

  /**
   * Configuration: calls open at once per connection, advertised as HTTP/2 {@code
   * SETTINGS_MAX_CONCURRENT_STREAMS} (1000 by default).
   */
  public static final String MAX_CONCURRENT_CALLS_PER_CONNECTION =
      "max.concurrent.calls.per.connection";

  /** Configuration: seconds a new connection has for its TLS handshake and HTTP/2 preface (20). */
  public static final String HANDSHAKE_TIMEOUT_SECONDS = "handshake.timeout.seconds";

  /** Configuration: seconds without reads before the server PINGs a client (7200); 0 for never. */
  public static final String KEEPALIVE_TIME_SECONDS = "keepalive.time.seconds";

  /** Configuration: seconds to wait for a keepalive PING's answer (20). */
  public static final String KEEPALIVE_TIMEOUT_SECONDS = "keepalive.timeout.seconds";

  /**
   * Configuration: seconds a connection may stay without calls before it is closed; 0 (default) for
   * no limit.
   */
  public static final String MAX_CONNECTION_IDLE_SECONDS = "max.connection.idle.seconds";

  /**
   * Configuration: age in seconds at which a connection is closed gracefully; 0 (default) for no
   * limit.
   */
  public static final String MAX_CONNECTION_AGE_SECONDS = "max.connection.age.seconds";

  /**
   * Configuration: seconds the calls of a connection past its age may still run; absent (the
   * default) for as long as they take.
   */
  public static final String MAX_CONNECTION_AGE_GRACE_SECONDS = "max.connection.age.grace.seconds";

  /** Configuration: the shortest interval in seconds between a client's PINGs tolerated (300). */
  public static final String PERMIT_KEEPALIVE_TIME_SECONDS = "permit.keepalive.time.seconds";

  /** Configuration: whether client PINGs are tolerated on a connection without calls (false). */
  public static final String PERMIT_KEEPALIVE_WITHOUT_CALLS = "permit.keepalive.without.calls";

  /**
   * Configuration: where handler callbacks run, {@link #EXECUTOR_DEFAULT} (the default) or {@link
   * #EXECUTOR_DIRECT}.
   */
  public static final String EXECUTOR = "executor";

  /** Value of {@link #EXECUTOR}: the shared pool of {@code switchboard-server-N} threads. */
  public static final String EXECUTOR_DEFAULT = "default";

  /**
   * Value of {@link #EXECUTOR}: the transport's event-loop threads; fastest for handlers that never
   * block, stalling the connection's other calls for those that do.
   */
  public static final String EXECUTOR_DIRECT = "direct";

  /** Configuration: the name of the transport provider ({@code netty} by default). */
  public static final String TRANSPORT = "transport";

  /**
   * Configuration: seconds a deleted (or stopped) server's calls have to finish before they are
   * cancelled (30). Applied live.
   */
  public static final String SHUTDOWN_TIMEOUT_SECONDS = "shutdown.timeout.seconds";

  private WhiteboardConstants() {}
}
