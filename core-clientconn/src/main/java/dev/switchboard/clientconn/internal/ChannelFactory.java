package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.api.spi.HostPort;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.spi.Target;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Builds channels: parses the target (a target without a scheme gets {@code dns} when a {@code dns}
 * resolver is deployed, else {@code passthrough}; decided once, at dial time), chooses the built-in
 * resolver when the scheme has one ({@code passthrough}, {@code static}, {@code unix}, {@code
 * unix-abstract}), derives the default authority, decides whether a {@code host:port} target goes
 * through an HTTP CONNECT proxy ({@link ProxySelection}; then a {@link ProxiedResolver} replaces
 * the scheme's resolver), and implements {@link DialOptions#blockTimeout()}. The public entry point
 * {@code dev.switchboard.clientconn.ClientConns} delegates here with the system {@link
 * ChannelEnvironment}; tests pass a fake clock's.
 */
public final class ChannelFactory {
  private ChannelFactory() {}

  /**
   * A channel for {@code target} ({@code scheme://authority/endpoint}, or {@code host:port}).
   *
   * @throws IllegalArgumentException for an empty target or a malformed default service config
   */
  public static ClientConnImpl forTarget(
      String target, DialOptions options, ChannelEnvironment env) {
    Objects.requireNonNull(options, "options");
    ResolverRegistry registry =
        options.resolverRegistry() != null
            ? options.resolverRegistry()
            : ResolverRegistry.getDefaultRegistry();
    Map<String, ResolverProvider> builtins =
        Map.of(
            PassthroughResolver.SCHEME,
            new PassthroughResolver.Provider(env, options.backoff()),
            StaticResolver.SCHEME,
            new StaticResolver.Provider(env, options.backoff()),
            UnixResolver.SCHEME,
            new UnixResolver.Provider(UnixResolver.SCHEME, env, options.backoff()),
            UnixResolver.ABSTRACT_SCHEME,
            new UnixResolver.Provider(UnixResolver.ABSTRACT_SCHEME, env, options.backoff()));
    Predicate<String> deployed =
        scheme -> builtins.containsKey(scheme) || registry.lookup(scheme) != null;
    Target parsed = TargetParser.parse(target, deployed, "");
    String schemeReason;
    if (parsed.scheme().isEmpty()) {
      String scheme = TargetParser.defaultScheme(deployed);
      parsed = new Target(scheme, "", target, target);
      schemeReason =
          scheme.equals(TargetParser.DNS_SCHEME)
              ? "default scheme: the target names none and a 'dns' resolver is deployed"
              : "default scheme: the target names none and no 'dns' resolver is deployed";
    } else {
      schemeReason = "scheme named by the target";
    }
    ResolverProvider builtin = builtins.get(parsed.scheme());
    if (builtin != null) {
      schemeReason += "; built-in resolver";
    }
    ResolverProvider provider = builtin != null ? builtin : registry.lookup(parsed.scheme());
    String authority = defaultAuthority(parsed, provider);
    HostPort hostPort = proxiable(parsed);
    if (hostPort != null) {
      ProxySelection.Choice choice = ProxySelection.choose(options, hostPort, env.environment());
      if (!choice.direct()) {
        builtin =
            ProxiedResolver.provider(parsed.scheme(), hostPort, choice, env, options.backoff());
        schemeReason +=
            "; "
                + choice.reason()
                + (choice.error() == null ? ": the proxy resolves the target's host" : "");
      }
    }
    return new ClientConnImpl(parsed, builtin, schemeReason, authority, options, env);
  }

  /**
   * {@return the {@code host:port} of a target that may go through a proxy (scheme {@code dns} or
   * {@code passthrough}, port 443 when omitted), or {@code null}}
   */
  private static HostPort proxiable(Target target) {
    String scheme = target.scheme();
    if (!scheme.equals(TargetParser.DNS_SCHEME) && !scheme.equals(PassthroughResolver.SCHEME)) {
      return null;
    }
    try {
      return HostPort.parse(target.endpoint());
    } catch (IllegalArgumentException e) {
      return null; // the scheme's resolver reports it
    }
  }

  /**
   * As {@link #forTarget(String, DialOptions, ChannelEnvironment)} on a given (fake) clock, without
   * environment variables (tests do not see the machine's proxy).
   */
  public static ClientConnImpl forTarget(
      String target, DialOptions options, Deadline.Ticker ticker, ScheduledExecutorService timer) {
    return forTarget(
        target,
        options,
        ChannelEnvironment.system().withClock(ticker, timer).withEnvironment(name -> null));
  }

  /**
   * A channel over a fixed address list (scheme {@code static}); its target string lists them.
   *
   * @throws IllegalArgumentException when {@code addresses} is empty
   */
  public static ClientConnImpl forAddresses(
      List<? extends SocketAddress> addresses, DialOptions options, ChannelEnvironment env) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no addresses to connect to");
    }
    String joined =
        addresses.stream()
            .map(a -> a instanceof InetSocketAddress i ? HostPort.format(i) : String.valueOf(a))
            .collect(Collectors.joining(","));
    String text = StaticResolver.SCHEME + ":///" + joined;
    Target target = new Target(StaticResolver.SCHEME, "", joined, text);
    String authority =
        addresses.get(0) instanceof InetSocketAddress first ? HostPort.format(first) : "localhost";
    return new ClientConnImpl(
        target,
        StaticResolver.forAddresses(addresses, env, options.backoff()),
        "fixed address list given to newClient; built-in resolver",
        authority,
        options,
        env);
  }

  private static String defaultAuthority(Target target, ResolverProvider provider) {
    String authority = null;
    if (provider != null) {
      try {
        authority = provider.defaultAuthority(target);
      } catch (RuntimeException e) {
        authority = null; // a broken provider does not prevent dialing; fall back to the endpoint
      }
    }
    if (authority == null || authority.isEmpty()) {
      authority = target.endpoint().isEmpty() ? target.original() : target.endpoint();
    }
    return authority;
  }

  /**
   * Waits (in real time) until {@code conn} is READY; on timeout or interruption closes it and
   * throws UNAVAILABLE with the last error when it was failing, else DEADLINE_EXCEEDED (naming the
   * last error, such as a provider it waits for, when it was still connecting).
   */
  public static void blockUntilReady(ClientConnImpl conn, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    conn.connect();
    ConnectivityState state;
    try {
      while (true) {
        state = conn.getState(false);
        long remaining = deadline - System.nanoTime();
        if (state == ConnectivityState.READY
            || state == ConnectivityState.SHUTDOWN
            || remaining <= 0) {
          break;
        }
        conn.waitForStateChange(state, remaining, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      conn.close();
      throw Status.CANCELLED
          .withDescription("interrupted while waiting for '" + conn.target() + "' to become READY")
          .withCause(e)
          .asRuntimeException();
    }
    if (state == ConnectivityState.READY) {
      return;
    }
    Status error = conn.lastError();
    conn.close();
    throw notReady(conn.target(), timeout, state, error);
  }

  private static StatusRuntimeException notReady(
      String target, Duration timeout, ConnectivityState state, Status error) {
    String what =
        "channel to '" + target + "' not READY after " + timeout + " (state " + state + ")";
    if (error != null && state == ConnectivityState.TRANSIENT_FAILURE) {
      return Status.UNAVAILABLE
          .withDescription(what + ": " + error.getDescription())
          .withCause(error.getCause())
          .asRuntimeException();
    }
    if (error != null && state == ConnectivityState.CONNECTING) {
      // Still trying, perhaps waiting for a provider: say what stands in the way.
      return Status.DEADLINE_EXCEEDED
          .withDescription(what + "; last error: " + error.getDescription())
          .asRuntimeException();
    }
    return Status.DEADLINE_EXCEEDED.withDescription(what).asRuntimeException();
  }
}
