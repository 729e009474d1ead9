package dev.switchboard.clientconn.internal;

import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.HostPort;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverProvider;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.api.spi.Target;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The built-in resolver for a fixed address list: scheme {@value #SCHEME} ({@code
 * static:///host1:port1,host2:port2}) and the {@code newClient(List<SocketAddress>)} overload.
 *
 * <p>Host names are looked up on the blocking executor, never in the serializer: an unresolved
 * {@link InetSocketAddress} is not connectable by transports. Each {@link #start}/{@link
 * #resolveNow} reports the list again (looking names up again, at most one lookup at a time), so a
 * balancer that failed can be rebuilt from it. A failed lookup is reported and retried by the
 * resolver itself with exponential backoff (the channel does not retry resolver errors); {@code
 * resolveNow} while a retry is scheduled adds nothing. Thread-safe.
 */
final class StaticResolver implements Resolver {
  static final String SCHEME = "static";

  private final List<SocketAddress> addresses;
  private final Status parseError;
  private final ResolverConn conn;
  private final Executor blockingExecutor;
  private final boolean needsLookup;
  private final HostLookup hostLookup;
  private final Function<SocketAddress, Address> toAddress;
  private final String hostRole; // "host", or what the looked-up host is, for messages
  // Used by one lookup at a time (lookupRunning orders them).
  private final Backoff backoff;
  private final AtomicBoolean lookupRunning = new AtomicBoolean();
  private final AtomicReference<ScheduledFuture<?>> retry = new AtomicReference<>();
  private volatile boolean closed;

  /**
   * @param addresses the addresses, possibly unresolved; ignored when {@code parseError} is set
   * @param parseError reported on {@link #start} instead of addresses, or {@code null}
   * @param backoff delays between retries of failed lookups
   */
  StaticResolver(
      List<? extends SocketAddress> addresses,
      Status parseError,
      ResolverConn conn,
      Executor blockingExecutor,
      Backoff backoff) {
    this(addresses, parseError, conn, blockingExecutor, backoff, InetAddress::getByName);
  }

  /** Looks a host name up: {@link InetAddress#getByName}, or {@code StaticResolverTest}'s fake. */
  @FunctionalInterface
  interface HostLookup {
    InetAddress lookup(String host) throws UnknownHostException;
  }

  StaticResolver(
      List<? extends SocketAddress> addresses,
      Status parseError,
      ResolverConn conn,
      Executor blockingExecutor,
      Backoff backoff,
      HostLookup hostLookup) {
    this(addresses, parseError, conn, blockingExecutor, backoff, hostLookup, Address::of, "host");
  }

  /**
   * As the other constructors, reporting {@code toAddress} of each (looked-up) address.
   *
   * @param toAddress what to report for an address once looked up, such as the address of a proxied
   *     target ({@link ProxiedResolver})
   * @param hostRole what a looked-up host is, for the message of a failed lookup ({@code "host"})
   */
  StaticResolver(
      List<? extends SocketAddress> addresses,
      Status parseError,
      ResolverConn conn,
      Executor blockingExecutor,
      Backoff backoff,
      HostLookup hostLookup,
      Function<SocketAddress, Address> toAddress,
      String hostRole) {
    this.toAddress = Objects.requireNonNull(toAddress, "toAddress");
    this.hostRole = Objects.requireNonNull(hostRole, "hostRole");
    this.hostLookup = Objects.requireNonNull(hostLookup, "hostLookup");
    this.addresses = List.copyOf(addresses);
    this.parseError = parseError;
    this.conn = Objects.requireNonNull(conn, "conn");
    this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.needsLookup =
        this.addresses.stream().anyMatch(a -> a instanceof InetSocketAddress i && i.isUnresolved());
  }

  /** Parses a comma-separated {@code host:port} list; a parse error is reported on start. */
  static StaticResolver forEndpoints(
      String endpoints, ResolverConn conn, Executor executor, Backoff backoff) {
    List<SocketAddress> list = new ArrayList<>();
    try {
      for (String part : endpoints.split(",", -1)) {
        list.add(HostPort.parse(part).toUnresolved());
      }
    } catch (IllegalArgumentException e) {
      return new StaticResolver(
          List.of(),
          Status.UNAVAILABLE.withDescription(
              "invalid static target '" + endpoints + "': " + e.getMessage()),
          conn,
          executor,
          backoff);
    }
    return new StaticResolver(list, null, conn, executor, backoff);
  }

  @Override
  public void start() {
    if (parseError != null) {
      conn.reportError(parseError);
      return;
    }
    resolve();
  }

  @Override
  public void resolveNow() {
    ScheduledFuture<?> pending = retry.get();
    if (parseError == null && (pending == null || pending.isDone())) {
      resolve();
    }
  }

  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> pending = retry.getAndSet(null);
    if (pending != null) {
      pending.cancel(false);
    }
  }

  /** Schedules the next lookup after a backoff; called by the lookup that failed. */
  private void scheduleRetry() {
    if (closed) {
      return;
    }
    ScheduledFuture<?> f =
        conn.scheduledExecutor()
            .schedule(new RetryLookup(), backoff.nextBackoffNanos(), TimeUnit.NANOSECONDS);
    retry.set(f);
    if (closed) {
      f.cancel(false);
    }
  }

  private void resolve() {
    if (closed) {
      return;
    }
    if (!needsLookup) {
      conn.updateState(ResolverState.of(addresses.stream().map(toAddress).toList()));
      return;
    }
    if (lookupRunning.compareAndSet(false, true)) {
      try {
        blockingExecutor.execute(new Lookup());
      } catch (RejectedExecutionException e) {
        lookupRunning.set(false);
        conn.reportError(
            Status.UNAVAILABLE.withDescription("address lookup rejected").withCause(e));
      }
    }
  }

  /** Looks host names up; runs on the blocking executor. */
  private final class Lookup implements Runnable {
    @Override
    public void run() {
      String host = null;
      List<Address> out = new ArrayList<>(addresses.size());
      Status error = null;
      try {
        for (SocketAddress a : addresses) {
          if (a instanceof InetSocketAddress isa && isa.isUnresolved()) {
            host = isa.getHostString();
            out.add(toAddress.apply(new InetSocketAddress(hostLookup.lookup(host), isa.getPort())));
          } else {
            out.add(toAddress.apply(a));
          }
        }
        backoff.reset();
      } catch (UnknownHostException | SecurityException e) {
        error =
            Status.UNAVAILABLE
                .withDescription(
                    "cannot resolve " + hostRole + " '" + host + "': " + e.getMessage())
                .withCause(e);
        scheduleRetry(); // timer first, report second: whoever sees the error sees the retry
      } finally {
        lookupRunning.set(false);
      }
      if (closed) {
        return;
      }
      if (error != null) {
        conn.reportError(error);
      } else {
        conn.updateState(ResolverState.of(out));
      }
    }
  }

  /** The backoff after a failed lookup has passed: look up again. */
  private final class RetryLookup implements Runnable {
    @Override
    public void run() {
      retry.set(null);
      resolve();
    }
  }

  /** A provider serving one fixed address list, for {@code newClient(List<SocketAddress>)}. */
  static ResolverProvider forAddresses(
      List<? extends SocketAddress> addresses, ChannelEnvironment env, BackoffConfig backoff) {
    List<SocketAddress> copy = List.copyOf(addresses);
    return new ResolverProvider() {
      @Override
      public String scheme() {
        return SCHEME;
      }

      @Override
      public Resolver newResolver(Target target, ResolverConn conn) {
        return new StaticResolver(
            copy, null, conn, env.blockingExecutor(), new Backoff(backoff, env.random()));
      }
    };
  }

  /** Built-in provider for scheme {@value #SCHEME}; not registered in any registry. */
  static final class Provider implements ResolverProvider {
    private final ChannelEnvironment env;
    private final BackoffConfig backoff;

    Provider(ChannelEnvironment env, BackoffConfig backoff) {
      this.env = env;
      this.backoff = backoff;
    }

    @Override
    public String scheme() {
      return SCHEME;
    }

    @Override
    public Resolver newResolver(Target target, ResolverConn conn) {
      return forEndpoints(
          target.endpoint(), conn, env.blockingExecutor(), new Backoff(backoff, env.random()));
    }

    /** The first listed endpoint. */
    @Override
    public String defaultAuthority(Target target) {
      String first = target.endpoint().split(",", -1)[0].trim();
      return first.isEmpty() ? target.endpoint() : first;
    }
  }
}
