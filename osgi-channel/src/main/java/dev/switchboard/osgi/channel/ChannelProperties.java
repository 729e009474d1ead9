package dev.switchboard.osgi.channel;

import java.util.List;

/**
 * The configuration of a channel made from OSGi configuration: its factory PID and the names of its
 * properties, in one place. README's table "OSGi: channels from configuration" and the Metatype
 * form list the same names (a test checks that they agree).
 *
 * <p>Each factory configuration of PID {@value #FACTORY_PID} (a {@code
 * etc/dev.switchboard.channel-orders.cfg} file in Karaf, or {@code
 * ConfigurationAdmin.getFactoryConfiguration}) creates one channel, published as a {@code
 * dev.switchboard.api.ClientConn} and {@code dev.switchboard.api.Channel} service whose properties
 * are the configuration's, except private ones (names starting with a dot) and {@value
 * #TLS_KEY_PASSWORD}; so a component injects it with {@code @Reference(target = "(name=orders)")}.
 * Any other property (such as {@code team=payments}) is published as well.
 *
 * <p>Values may be strings (as {@code .cfg} files give them) or typed (numbers, booleans); empty
 * strings count as absent. Durations are a number with a unit ({@code 500ms}, {@code 30s}, {@code
 * 5m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT30S}).
 *
 * <p>Changes apply live: a new {@value #DEFAULT_SERVICE_CONFIG} is switched to gracefully (no call
 * fails for it), a new {@value #INTERCEPTOR_FILTER}, {@value #RETIRE_DELAY}, {@value #NAME} or
 * other property applies to the running channel. A change of anything else (the target,
 * credentials, limits, keepalive, idle timeout) creates a new channel: it is published first, then
 * the old one is unregistered and, after {@value #RETIRE_DELAY}, shut down gracefully (calls in
 * flight finish). Deleting the configuration does the same without a successor. A configuration
 * that cannot be used (malformed JSON, a blank target, an unreadable certificate, a value of the
 * wrong type) is logged as an ERROR naming the property, and leaves the running channel as it was
 * (a new configuration creates no channel).
 *
 * @since 0.3
 */
public final class ChannelProperties {
  /** The factory PID of channel configurations. */
  public static final String FACTORY_PID = "dev.switchboard.channel";

  /**
   * The channel's name, required: published as a service property to select the channel with
   * ({@code (name=orders)}) and used in log messages.
   */
  public static final String NAME = "name";

  /**
   * The target, required: {@code scheme://authority/endpoint} or {@code host:port}, as {@code
   * ClientConns.newClient} takes it.
   */
  public static final String TARGET = "target";

  /**
   * The default service config JSON, such as {@code {"loadBalancingConfig":[{"round_robin":{}}]}}:
   * used unless the resolver supplies one. Optional (none: {@code pick_first}); a change applies
   * live, switched to gracefully.
   */
  public static final String DEFAULT_SERVICE_CONFIG = "default.service.config";

  /** The {@code :authority} of the channel's calls instead of the target's. Optional. */
  public static final String AUTHORITY = "authority";

  /**
   * {@code true} for plaintext (h2c) instead of TLS; {@code false} by default. Plaintext must be
   * chosen explicitly and excludes the {@code tls.*} properties.
   */
  public static final String PLAINTEXT = "plaintext";

  /**
   * A PEM file of the root certificates to trust instead of the platform's. Optional; read when the
   * channel is created.
   */
  public static final String TLS_TRUST_FILE = "tls.trust.file";

  /**
   * A PEM file of the certificate chain to present (mutual TLS), with {@value #TLS_KEY_FILE}.
   * Optional; read again when it changes on disk (certificate rotation).
   */
  public static final String TLS_CERT_FILE = "tls.cert.file";

  /** The PEM file of the private key of {@value #TLS_CERT_FILE}. */
  public static final String TLS_KEY_FILE = "tls.key.file";

  /**
   * The password of an encrypted PKCS#8 {@value #TLS_KEY_FILE}. Optional; never published as a
   * service property.
   */
  public static final String TLS_KEY_PASSWORD = "tls.key.password";

  /** The largest message a call may send, in bytes. Optional (unlimited). */
  public static final String MAX_SEND_MESSAGE_SIZE = "max.send.message.size";

  /** The largest message a call accepts, in bytes. Optional (4 MiB). */
  public static final String MAX_RECEIVE_MESSAGE_SIZE = "max.receive.message.size";

  /** A duration of silence after which the client PINGs the server. Optional (keepalive off). */
  public static final String KEEPALIVE_TIME = "keepalive.time";

  /** How long the client waits for the keepalive PING's answer. Optional (20s). */
  public static final String KEEPALIVE_TIMEOUT = "keepalive.timeout";

  /**
   * How long the channel stays connected without calls, at least {@code 1s}, or {@code never}.
   * Optional (30m).
   */
  public static final String IDLE_TIMEOUT = "idle.timeout";

  /**
   * An LDAP filter selecting {@code dev.switchboard.api.ClientInterceptor} services for the
   * channel's calls, such as {@code (interceptor=auth)}; the highest {@code service.ranking} sees a
   * call first. Optional (none). Interceptors arriving or leaving apply to calls started from then
   * on.
   */
  public static final String INTERCEPTOR_FILTER = "interceptor.filter";

  /**
   * How long a replaced or deleted channel, once unregistered, still accepts calls before its
   * graceful shutdown, so that a component that took the service just before can start its call.
   * Optional ({@value #DEFAULT_RETIRE_DELAY}).
   */
  public static final String RETIRE_DELAY = "retire.delay";

  /**
   * Published, not configured: every channel service also carries its {@value #NAME} under this
   * property, which the {@code switchboard:channels} shell command labels channels with (unless the
   * configuration sets it).
   */
  public static final String SHELL_LABEL = "switchboard.channel";

  /** The default of {@value #RETIRE_DELAY}. */
  public static final String DEFAULT_RETIRE_DELAY = "1s";

  /** Every property name above, in the order of the README's table. */
  public static final List<String> ALL =
      List.of(
          NAME,
          TARGET,
          DEFAULT_SERVICE_CONFIG,
          AUTHORITY,
          PLAINTEXT,
          TLS_TRUST_FILE,
          TLS_CERT_FILE,
          TLS_KEY_FILE,
          TLS_KEY_PASSWORD,
          MAX_SEND_MESSAGE_SIZE,
          MAX_RECEIVE_MESSAGE_SIZE,
          KEEPALIVE_TIME,
          KEEPALIVE_TIMEOUT,
          IDLE_TIMEOUT,
          INTERCEPTOR_FILTER,
          RETIRE_DELAY);

  private ChannelProperties() {}
}
