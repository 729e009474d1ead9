package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Address;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The built-in resolver for a fixed address list: scheme {@value #SCHEME} ({@code
 * static:///host1:port1,host2:port2}) and the {@code newClient(List<SocketAddress>)} overload.
 *
 * <p>Host names are looked up on the blocking executor, never in the serializer: an unresolved
 * {@link InetSocketAddress} is not connectable by transports. Each {@link #start}/{@link
 * #resolveNow} reports the list again (looking names up again, at most one lookup at a time), so a
 * balancer that failed can be rebuilt from it. Thread-safe.
 */
final class StaticResolver implements Resolver {
  static final String SCHEME = "static";

  private final List<SocketAddress> addresses;
  private final Status parseError;
  private final ResolverConn conn;
  private final Executor blockingExecutor;
  private final boolean needsLookup;
  private final AtomicBoolean lookupRunning = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * @param addresses the addresses, possibly unresolved; ignored when {@code parseError} is set
   * @param parseError reported on {@link #start} instead of addresses, or {@code null}
   */
  StaticResolver(List<? extends SocketAddress> addresses, Status parseError, ResolverConn conn,
      Executor blockingExecutor) {
    this.addresses = List.copyOf(addresses);
    this.parseError = parseError;
    this.conn = Objects.requireNonNull(conn, "conn");
    this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    this.needsLookup = this.addresses.stream()
        .anyMatch(a -> a instanceof InetSocketAddress i && i.isUnresolved());
  }

  /** Parses a comma-separated {@code host:port} list; a parse error is reported on start. */
  static StaticResolver forEndpoints(String endpoints, ResolverConn conn, Executor executor) {
    List<SocketAddress> list = new ArrayList<>();
    try {
      for (String part : endpoints.split(",", -1)) {
        list.add(HostPort.parse(part).toUnresolved());
      }
    } catch (IllegalArgumentException e) {
      return new StaticResolver(List.of(), Status.UNAVAILABLE.withDescription(
          "invalid static target '" + endpoints + "': " + e.getMessage()), conn, executor);
    }
    return new StaticResolver(list, null, conn, executor);
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
    if (parseError == null) {
      resolve();
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  private void resolve() {
    if (closed) {
      return;
    }
    if (!needsLookup) {
      conn.updateState(ResolverState.of(addresses.stream().map(Address::of).toList()));
      return;
    }
    if (lookupRunning.compareAndSet(false, true)) {
      try {
        blockingExecutor.execute(new Lookup());
      } catch (RejectedExecutionException e) {
        lookupRunning.set(false);
        conn.reportError(Status.UNAVAILABLE.withDescription("address lookup rejected").withCause(e));
      }
    }
  }

  /** Looks host names up; runs on the blocking executor. */
  private final class Lookup implements Runnable {
    @Override
    public void run() {
      String host = null;
      try {
        List<Address> out = new ArrayList<>(addresses.size());
        for (SocketAddress a : addresses) {
          if (a instanceof InetSocketAddress isa && isa.isUnresolved()) {
            host = isa.getHostString();
            out.add(Address.of(new InetSocketAddress(InetAddress.getByName(host), isa.getPort())));
          } else {
            out.add(Address.of(a));
          }
        }
        if (!closed) {
          conn.updateState(ResolverState.of(out));
        }
      } catch (UnknownHostException | SecurityException e) {
        if (!closed) {
          conn.reportError(Status.UNAVAILABLE
              .withDescription("cannot resolve host '" + host + "': " + e.getMessage())
              .withCause(e));
        }
      } finally {
        lookupRunning.set(false);
      }
    }
  }

  /** A provider serving one fixed address list, for {@code newClient(List<SocketAddress>)}. */
  static ResolverProvider forAddresses(List<? extends SocketAddress> addresses,
      Executor blockingExecutor) {
    List<SocketAddress> copy = List.copyOf(addresses);
    return new ResolverProvider() {
      @Override
      public String scheme() {
        return SCHEME;
      }

      @Override
      public Resolver newResolver(Target target, ResolverConn conn) {
        return new StaticResolver(copy, null, conn, blockingExecutor);
      }
    };
  }

  /** Built-in provider for scheme {@value #SCHEME}; not registered in any registry. */
  static final class Provider implements ResolverProvider {
    private final Executor blockingExecutor;

    Provider(Executor blockingExecutor) {
      this.blockingExecutor = blockingExecutor;
    }

    @Override
    public String scheme() {
      return SCHEME;
    }

    @Override
    public Resolver newResolver(Target target, ResolverConn conn) {
      return forEndpoints(target.endpoint(), conn, blockingExecutor);
    }

    /** The first listed endpoint. */
    @Override
    public String defaultAuthority(Target target) {
      String first = target.endpoint().split(",", -1)[0].trim();
      return first.isEmpty() ? target.endpoint() : first;
    }
  }
}
