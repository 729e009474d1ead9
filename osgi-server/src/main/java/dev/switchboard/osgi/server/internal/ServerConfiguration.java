package dev.switchboard.osgi.server.internal;

import dev.switchboard.osgi.server.WhiteboardConstants;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The Metatype description of a server configuration, from which bnd writes {@code
 * OSGI-INF/metatype}: consoles (the Felix web console, Karaf's {@code config:} commands) show it as
 * a form. Each method's name is a property's, {@code _} standing for {@code .} (see {@link
 * WhiteboardConstants}); the values themselves are read and checked by {@link ServerSettings},
 * which accepts the strings of {@code .cfg} files as well as typed values.
 */
@ObjectClassDefinition(
    id = WhiteboardConstants.SERVER_FACTORY_PID,
    name = "Switchboard gRPC server",
    description =
        "A gRPC server that binds the BindableService and ServerInterceptor whiteboard services"
            + " matching its target.")
@interface ServerConfiguration {
  @AttributeDefinition(name = "Host", description = "Host name or IP to listen on; empty for all.")
  String host() default "";

  @AttributeDefinition(name = "Port", description = "Port to listen on; 0 picks a free one.")
  int port();

  @AttributeDefinition(
      name = "Whiteboard target",
      description =
          "LDAP filter choosing the BindableService and ServerInterceptor services bound.")
  String whiteboard_target() default WhiteboardConstants.DEFAULT_TARGET;

  @AttributeDefinition(
      name = "TLS certificate chain",
      description = "Path of the PEM certificate chain; empty for plaintext.",
      required = false)
  String tls_certificate() default "";

  @AttributeDefinition(
      name = "TLS private key",
      description = "Path of the PEM private key.",
      required = false)
  String tls_key() default "";

  @AttributeDefinition(
      name = "TLS key password",
      description = "Password of an encrypted PKCS#8 key.",
      type = AttributeType.PASSWORD,
      required = false)
  String tls_key_password() default "";

  @AttributeDefinition(
      name = "TLS trust",
      description = "Path of PEM roots for client certificates; empty for the platform's.",
      required = false)
  String tls_trust() default "";

  @AttributeDefinition(
      name = "TLS client certificates",
      options = {
        @Option(value = "NONE", label = "not requested"),
        @Option(value = "OPTIONAL", label = "requested"),
        @Option(value = "REQUIRE", label = "required")
      })
  String tls_client_auth() default "NONE";

  @AttributeDefinition(name = "Max inbound message size (bytes)")
  int max_inbound_message_size() default 4 * 1024 * 1024;

  @AttributeDefinition(name = "Max inbound header list size (bytes)")
  int max_inbound_metadata_size() default 8 * 1024;

  @AttributeDefinition(name = "Max concurrent calls per connection")
  int max_concurrent_calls_per_connection() default 1000;

  @AttributeDefinition(name = "Handshake timeout (s)")
  long handshake_timeout_seconds() default 20;

  @AttributeDefinition(name = "Keepalive time (s)", description = "0 for no server PINGs.")
  long keepalive_time_seconds() default 7200;

  @AttributeDefinition(name = "Keepalive timeout (s)")
  long keepalive_timeout_seconds() default 20;

  @AttributeDefinition(name = "Max connection idle (s)", description = "0 for no limit.")
  long max_connection_idle_seconds() default 0;

  @AttributeDefinition(name = "Max connection age (s)", description = "0 for no limit.")
  long max_connection_age_seconds() default 0;

  @AttributeDefinition(
      name = "Max connection age grace (s)",
      description = "Empty for as long as calls take.",
      required = false)
  long max_connection_age_grace_seconds();

  @AttributeDefinition(name = "Permitted client keepalive time (s)")
  long permit_keepalive_time_seconds() default 300;

  @AttributeDefinition(name = "Permit client keepalive without calls")
  boolean permit_keepalive_without_calls() default false;

  @AttributeDefinition(
      name = "Executor",
      options = {
        @Option(value = WhiteboardConstants.EXECUTOR_DEFAULT, label = "shared thread pool"),
        @Option(value = WhiteboardConstants.EXECUTOR_DIRECT, label = "event loop (never block)")
      })
  String executor() default WhiteboardConstants.EXECUTOR_DEFAULT;

  @AttributeDefinition(name = "Transport")
  String transport() default "netty";

  @AttributeDefinition(name = "Shutdown timeout (s)", description = "Time calls get to finish.")
  long shutdown_timeout_seconds() default 30;
}
