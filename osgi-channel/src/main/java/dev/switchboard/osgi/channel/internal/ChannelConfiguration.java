package dev.switchboard.osgi.channel.internal;

import dev.switchboard.osgi.channel.ChannelProperties;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Metatype form of a channel configuration, for consoles (bnd writes it to {@code
 * OSGI-INF/metatype}); never instantiated: {@link ChannelSettings} reads the properties. Each
 * element's name is a property of {@link ChannelProperties} ({@code _} for {@code .}), checked by a
 * test.
 */
@ObjectClassDefinition(
    id = ChannelProperties.FACTORY_PID,
    name = "Switchboard channel",
    description =
        "A gRPC channel, published as a dev.switchboard.api.ClientConn service carrying these"
            + " properties, such as (name=orders).")
@interface ChannelConfiguration {
  @AttributeDefinition(
      name = "Name",
      description = "The channel's name: select it with @Reference(target=\"(name=...)\").")
  String name();

  @AttributeDefinition(
      name = "Target",
      description = "scheme://authority/endpoint or host:port, such as dns:///orders:50051.")
  String target();

  @AttributeDefinition(
      name = "Default service config",
      required = false,
      description =
          "Service config JSON used unless the resolver supplies one, such as"
              + " {\"loadBalancingConfig\":[{\"round_robin\":{}}]}. Changes apply live.")
  String default_service_config();

  @AttributeDefinition(
      name = "Authority",
      required = false,
      description = "The :authority of the calls instead of the target's.")
  String authority();

  @AttributeDefinition(
      name = "Plaintext",
      description = "Plaintext (h2c) instead of TLS; excludes the TLS files.")
  boolean plaintext() default false;

  @AttributeDefinition(
      name = "Trusted roots file",
      required = false,
      description = "PEM root certificates to trust instead of the platform's.")
  String tls_trust_file();

  @AttributeDefinition(
      name = "Certificate chain file",
      required = false,
      description = "PEM certificate chain to present (mutual TLS); followed on disk.")
  String tls_cert_file();

  @AttributeDefinition(
      name = "Private key file",
      required = false,
      description = "PEM private key of the certificate chain.")
  String tls_key_file();

  @AttributeDefinition(
      name = "Private key password",
      required = false,
      type = AttributeType.PASSWORD,
      description = "Password of an encrypted PKCS#8 key; never published.")
  String tls_key_password();

  @AttributeDefinition(
      name = "Max send message size",
      required = false,
      min = "0",
      description = "Largest message a call may send, in bytes (default unlimited).")
  int max_send_message_size();

  @AttributeDefinition(
      name = "Max receive message size",
      required = false,
      min = "0",
      description = "Largest message a call accepts, in bytes (default 4194304).")
  int max_receive_message_size();

  @AttributeDefinition(
      name = "Keepalive time",
      required = false,
      description = "Silence before the client PINGs the server, such as 30s (default off).")
  String keepalive_time();

  @AttributeDefinition(
      name = "Keepalive timeout",
      required = false,
      description = "Wait for the PING's answer, such as 20s (the default).")
  String keepalive_timeout();

  @AttributeDefinition(
      name = "Idle timeout",
      required = false,
      description = "Time without calls before going idle, at least 1s, or never (default 30m).")
  String idle_timeout();

  @AttributeDefinition(
      name = "Interceptor filter",
      required = false,
      description =
          "LDAP filter selecting dev.switchboard.api.ClientInterceptor services, such as"
              + " (interceptor=auth); highest service.ranking first.")
  String interceptor_filter();

  @AttributeDefinition(
      name = "Retire delay",
      description =
          "How long a replaced or deleted channel still accepts calls once unregistered,"
              + " before its graceful shutdown.")
  String retire_delay() default ChannelProperties.DEFAULT_RETIRE_DELAY;
}
