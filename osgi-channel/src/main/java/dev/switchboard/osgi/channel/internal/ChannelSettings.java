package dev.switchboard.osgi.channel.internal;

import static dev.switchboard.osgi.channel.ChannelProperties.ALL;
import static dev.switchboard.osgi.channel.ChannelProperties.AUTHORITY;
import static dev.switchboard.osgi.channel.ChannelProperties.DEFAULT_RETIRE_DELAY;
import static dev.switchboard.osgi.channel.ChannelProperties.DEFAULT_SERVICE_CONFIG;
import static dev.switchboard.osgi.channel.ChannelProperties.IDLE_TIMEOUT;
import static dev.switchboard.osgi.channel.ChannelProperties.INTERCEPTOR_FILTER;
import static dev.switchboard.osgi.channel.ChannelProperties.KEEPALIVE_TIME;
import static dev.switchboard.osgi.channel.ChannelProperties.KEEPALIVE_TIMEOUT;
import static dev.switchboard.osgi.channel.ChannelProperties.MAX_RECEIVE_MESSAGE_SIZE;
import static dev.switchboard.osgi.channel.ChannelProperties.MAX_SEND_MESSAGE_SIZE;
import static dev.switchboard.osgi.channel.ChannelProperties.NAME;
import static dev.switchboard.osgi.channel.ChannelProperties.PLAINTEXT;
import static dev.switchboard.osgi.channel.ChannelProperties.RETIRE_DELAY;
import static dev.switchboard.osgi.channel.ChannelProperties.SHELL_LABEL;
import static dev.switchboard.osgi.channel.ChannelProperties.TARGET;
import static dev.switchboard.osgi.channel.ChannelProperties.TLS_CERT_FILE;
import static dev.switchboard.osgi.channel.ChannelProperties.TLS_KEY_FILE;
import static dev.switchboard.osgi.channel.ChannelProperties.TLS_KEY_PASSWORD;
import static dev.switchboard.osgi.channel.ChannelProperties.TLS_TRUST_FILE;

import dev.switchboard.api.DialOptions;
import dev.switchboard.api.spi.Json;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * A channel configuration, read and checked, in two parts: the {@link Connection}, what the channel
 * is created with (changing it needs a new channel), and what applies to a running channel (the
 * default service config, the interceptor filter, the retire delay and the service properties).
 * Immutable. {@link #parse} checks everything that needs no I/O; {@link ChannelDialer} reads the
 * files.
 *
 * @param name the channel's name
 * @param connection what the channel is created with
 * @param defaultServiceConfig the default service config JSON (syntax checked), or null
 * @param interceptorFilter the LDAP filter selecting interceptor services (syntax checked), or null
 * @param retireDelay how long a replaced or deleted channel accepts calls after it is unregistered
 * @param serviceProperties what the channel's service is published with
 * @param warnings properties that look like ours but are not (a typo), for a log message
 */
record ChannelSettings(
    String name,
    Connection connection,
    String defaultServiceConfig,
    String interceptorFilter,
    Duration retireDelay,
    Map<String, Object> serviceProperties,
    List<String> warnings) {

  /** {@code ChannelProperties.DEFAULT_RETIRE_DELAY}. */
  static final Duration DEFAULT_RETIRE = PropertyValues.parseDuration(DEFAULT_RETIRE_DELAY);

  /** Properties set by the framework on every registration, never copied from a configuration. */
  private static final Set<String> FRAMEWORK_PROPERTIES =
      Set.of("objectClass", "service.id", "service.bundleid", "service.scope");

  /** Prefixes of our property names: another name with one of them is probably a typo. */
  private static final List<String> OUR_PREFIXES =
      List.of("tls.", "keepalive.", "max.", "idle.", "interceptor.", "retire.", "default.");

  /**
   * What a channel is created with; two channels with equal connections are interchangeable.
   *
   * @param target the target string
   * @param authority the {@code :authority} override, or null
   * @param plaintext h2c instead of TLS
   * @param trustFile PEM roots to trust instead of the platform's, or null
   * @param certFile the PEM certificate chain to present, or null (then keyFile is null too)
   * @param keyFile the PEM private key of certFile, or null
   * @param keyPassword the key's password, or null
   * @param maxSendMessageSize the send limit in bytes, or null for the default
   * @param maxReceiveMessageSize the receive limit in bytes, or null for the default
   * @param keepaliveTime the keepalive time, or null for keepalive off
   * @param keepaliveTimeout the keepalive timeout, or null for the default
   * @param idleTimeout the idle timeout, or null for the default; {@link #NEVER} disables it
   */
  record Connection(
      String target,
      String authority,
      boolean plaintext,
      Path trustFile,
      Path certFile,
      Path keyFile,
      String keyPassword,
      Integer maxSendMessageSize,
      Integer maxReceiveMessageSize,
      Duration keepaliveTime,
      Duration keepaliveTimeout,
      Duration idleTimeout) {
    /** The idle timeout of a channel that never goes idle on its own. */
    static final Duration NEVER = Duration.ZERO;

    @Override
    public String toString() {
      return "Connection[target="
          + target
          + ", authority="
          + authority
          + ", plaintext="
          + plaintext
          + ", trustFile="
          + trustFile
          + ", certFile="
          + certFile
          + ", keyFile="
          + keyFile
          + ", keyPassword="
          + (keyPassword == null ? "none" : "(hidden)")
          + ", maxSendMessageSize="
          + maxSendMessageSize
          + ", maxReceiveMessageSize="
          + maxReceiveMessageSize
          + ", keepaliveTime="
          + keepaliveTime
          + ", keepaliveTimeout="
          + keepaliveTimeout
          + ", idleTimeout="
          + idleTimeout
          + "]";
    }
  }

  ChannelSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(connection, "connection");
    serviceProperties = Map.copyOf(serviceProperties);
    warnings = List.copyOf(warnings);
  }

  /**
   * Reads and checks a configuration's properties.
   *
   * @param properties the configuration's properties, as Configuration Admin (through SCR) gives
   *     them
   * @return the settings
   * @throws IllegalArgumentException naming the first property that cannot be used and why
   */
  static ChannelSettings parse(Map<String, ?> properties) {
    PropertyValues values = new PropertyValues(properties);
    String name = values.required(NAME);
    String target = values.required(TARGET);
    if (target.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException(
          TARGET + " must not contain whitespace or control characters: '" + target + "'");
    }
    boolean plaintext = values.bool(PLAINTEXT, false);
    Path trust = path(values, TLS_TRUST_FILE);
    Path cert = path(values, TLS_CERT_FILE);
    Path key = path(values, TLS_KEY_FILE);
    String password = values.string(TLS_KEY_PASSWORD);
    if (plaintext && (trust != null || cert != null || key != null || password != null)) {
      throw new IllegalArgumentException(
          PLAINTEXT + "=true excludes the tls.* properties: choose plaintext or TLS");
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(
          TLS_CERT_FILE + " and " + TLS_KEY_FILE + " go together: set both or neither");
    }
    if (password != null && key == null) {
      throw new IllegalArgumentException(TLS_KEY_PASSWORD + " needs " + TLS_KEY_FILE);
    }
    Duration keepaliveTime = values.duration(KEEPALIVE_TIME);
    Duration keepaliveTimeout = values.duration(KEEPALIVE_TIMEOUT);
    if (keepaliveTimeout != null && keepaliveTime == null) {
      throw new IllegalArgumentException(KEEPALIVE_TIMEOUT + " needs " + KEEPALIVE_TIME);
    }
    Connection connection =
        new Connection(
            target,
            values.string(AUTHORITY),
            plaintext,
            trust,
            cert,
            key,
            password,
            values.bytes(MAX_SEND_MESSAGE_SIZE),
            values.bytes(MAX_RECEIVE_MESSAGE_SIZE),
            keepaliveTime,
            keepaliveTimeout,
            idleTimeout(values));
    Duration retireDelay = values.duration(RETIRE_DELAY);
    return new ChannelSettings(
        name,
        connection,
        serviceConfig(values.string(DEFAULT_SERVICE_CONFIG)),
        filter(values.string(INTERCEPTOR_FILTER)),
        retireDelay != null ? retireDelay : DEFAULT_RETIRE,
        serviceProperties(properties, name),
        warnings(properties.keySet()));
  }

  /** Whether changing from these settings to {@code next} needs a new channel. */
  boolean needsNewChannel(ChannelSettings next) {
    return !connection.equals(next.connection);
  }

  private static Path path(PropertyValues values, String name) {
    String s = values.string(name);
    if (s == null) {
      return null;
    }
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(name + " is not a valid path: " + e.getMessage(), e);
    }
  }

  private static Duration idleTimeout(PropertyValues values) {
    String s = values.string(IDLE_TIMEOUT);
    if (s != null && (s.equalsIgnoreCase("never") || s.equals("0"))) {
      return Connection.NEVER;
    }
    Duration d = values.duration(IDLE_TIMEOUT);
    if (d != null && d.compareTo(DialOptions.MIN_IDLE_TIMEOUT) < 0) {
      throw new IllegalArgumentException(
          IDLE_TIMEOUT + " must be at least 1s (or never), not '" + s + "'");
    }
    return d;
  }

  private static String serviceConfig(String json) {
    if (json == null) {
      return null;
    }
    Object parsed;
    try {
      parsed = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          DEFAULT_SERVICE_CONFIG + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map)) {
      throw new IllegalArgumentException(DEFAULT_SERVICE_CONFIG + " must be a JSON object");
    }
    return json;
  }

  private static String filter(String filter) {
    if (filter == null) {
      return null;
    }
    try {
      FrameworkUtil.createFilter(filter);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException(
          INTERCEPTOR_FILTER + " is not a valid LDAP filter: " + e.getMessage(), e);
    }
    return filter;
  }

  private static Map<String, Object> serviceProperties(Map<String, ?> properties, String name) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(SHELL_LABEL, name);
    properties.forEach(
        (k, v) -> {
          if (v != null
              && !k.startsWith(".")
              && !k.equals(TLS_KEY_PASSWORD)
              && !FRAMEWORK_PROPERTIES.contains(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static List<String> warnings(Set<String> keys) {
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      String lower = k.toLowerCase(Locale.ROOT);
      if (!ALL.contains(k) && OUR_PREFIXES.stream().anyMatch(lower::startsWith)) {
        out.add("unknown property " + k + " ignored (known: " + String.join(", ", ALL) + ")");
      }
    }
    return out;
  }
}
