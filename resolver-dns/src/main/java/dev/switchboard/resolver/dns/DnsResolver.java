package dev.switchboard.resolver.dns;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.SynchronizationContext.ScheduledHandle;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.Resolver;
import dev.switchboard.api.spi.ResolverConn;
import dev.switchboard.api.spi.ResolverState;
import dev.switchboard.api.spi.Target;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The resolver for one {@code dns} target (grpc-go {@code internal/resolver/dns}). An IP literal is
 * reported at {@link #start} without any lookup; a name is looked up (A and AAAA) through a {@link
 * DnsLookupClient} on the provider's shared event loop, and every answer is reported as a new
 * state, IPv4 addresses first, each family in the order the name server gave.
 *
 * <p>Re-resolution: {@link #resolveNow} starts a lookup at most once per minimum interval (30 s by
 * default), measured between lookup starts; a request inside the interval is deferred to its end
 * (at most one is pending) and one made while a lookup runs is done after it. A failed lookup is
 * reported as {@code UNAVAILABLE} and retried on its own with exponential backoff ({@link
 * BackoffConfig#DEFAULT}) until one succeeds, which resets the backoff; {@code resolveNow} while a
 * retry is scheduled adds nothing. There is no TTL-driven refresh.
 *
 * <p>Threading: {@link #start}, {@link #resolveNow} and {@link #close} are called in the channel's
 * {@link SynchronizationContext}, and so are this class's timers and lookup results, so all state
 * is serializer-owned and nothing here blocks. An unparseable target is reported as an error on
 * {@code start}, never thrown. {@link #close} cancels timers, drops results still in flight, closes
 * the socket and releases the shared event loop.
 */
final class DnsResolver implements Resolver {
  private static final System.Logger LOG = System.getLogger(DnsResolver.class.getName());

  /**
   * Tunables; {@link #defaults()} in production, fake time and short intervals in tests.
   *
   * @param ticker clock for the rate limit
   * @param timer for the rate limit and retry timers; {@code null}: the conn's
   * @param minResolveIntervalNanos least time between two lookups started by {@code resolveNow}
   * @param backoff retry delays after failed lookups
   * @param random uniform values in [0, 1) for the backoff jitter
   * @param queryTimeoutMillis how long one DNS query may take
   */
  record Options(
      Deadline.Ticker ticker,
      ScheduledExecutorService timer,
      long minResolveIntervalNanos,
      BackoffConfig backoff,
      DoubleSupplier random,
      long queryTimeoutMillis) {
    static final long DEFAULT_MIN_RESOLVE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long DEFAULT_QUERY_TIMEOUT_MILLIS = 5_000;

    Options {
      Objects.requireNonNull(ticker, "ticker");
      Objects.requireNonNull(backoff, "backoff");
      Objects.requireNonNull(random, "random");
      if (minResolveIntervalNanos < 0 || queryTimeoutMillis <= 0) {
        throw new IllegalArgumentException("negative interval or non-positive query timeout");
      }
    }

    static Options defaults() {
      return new Options(
          Deadline.Ticker.system(),
          null,
          DEFAULT_MIN_RESOLVE_INTERVAL_NANOS,
          BackoffConfig.DEFAULT,
          () -> ThreadLocalRandom.current().nextDouble(),
          DEFAULT_QUERY_TIMEOUT_MILLIS);
    }
  }

  private final Target original;
  private final DnsTarget target; // null when the target did not parse
  private final Status parseError; // null when it did
  private final ResolverConn conn;
  private final SynchronizationContext syncContext;
  private final SharedEventLoop loops;
  private final Deadline.Ticker ticker;
  private final ScheduledExecutorService timer;
  private final long minResolveIntervalNanos;
  private final long queryTimeoutMillis;

  // Only touched in the serializer: lifecycle.
  private boolean started;
  private boolean closed;
  private SharedEventLoop.Lease lease;
  private DnsLookupClient client;

  // Only touched in the serializer: lookups and their timers.
  private final ResolutionBackoff backoff;
  private CompletableFuture<Answer> inFlight; // the lookup whose answer counts, or null

  /** The service config last delivered from TXT: kept when a later record is invalid. */
  private String lastGoodServiceConfig;

  private boolean resolveAfterLookup; // resolveNow came while inFlight ran
  private boolean lookedUp; // some lookup started; lastLookupStartNanos is set
  private long lastLookupStartNanos;
  private ScheduledHandle deferredResolve; // a rate-limited resolveNow, waiting for the interval
  private ScheduledHandle retryTimer; // backoff after a failed lookup

  DnsResolver(Target target, ResolverConn conn, SharedEventLoop loops, Options options) {
    this.original = Objects.requireNonNull(target, "target");
    this.conn = Objects.requireNonNull(conn, "conn");
    this.syncContext = Objects.requireNonNull(conn.synchronizationContext(), "syncContext");
    this.loops = Objects.requireNonNull(loops, "loops");
    this.ticker = options.ticker();
    this.timer = options.timer() != null ? options.timer() : conn.scheduledExecutor();
    Objects.requireNonNull(timer, "timer");
    this.minResolveIntervalNanos = options.minResolveIntervalNanos();
    this.queryTimeoutMillis = options.queryTimeoutMillis();
    this.backoff = new ResolutionBackoff(options.backoff(), options.random());
    DnsTarget parsed = null;
    Status error = null;
    try {
      parsed = DnsTarget.parse(target);
    } catch (IllegalArgumentException e) {
      error =
          Status.UNAVAILABLE.withDescription(
              "invalid dns target '" + target.original() + "': " + e.getMessage());
    }
    this.target = parsed;
    this.parseError = error;
  }

  @Override
  public void start() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    if (closed) {
      return;
    }
    if (parseError != null) {
      conn.reportError(parseError);
    } else if (target.literal() != null) {
      conn.updateState(literalState());
    } else {
      startLookup();
    }
  }

  @Override
  public void resolveNow() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (!started || closed || parseError != null) {
      return;
    }
    if (target.literal() != null) {
      conn.updateState(literalState()); // no lookup: repeating the answer costs nothing
      return;
    }
    if (retryTimer != null && retryTimer.isPending()) {
      return; // the retry is the next lookup
    }
    if (inFlight != null) {
      resolveAfterLookup = true;
      return;
    }
    requestLookup();
  }

  @Override
  public void close() {
    syncContext.throwIfNotInThisSynchronizationContext();
    if (closed) {
      return;
    }
    closed = true;
    inFlight = null;
    cancel(deferredResolve);
    cancel(retryTimer);
    deferredResolve = null;
    retryTimer = null;
    if (client != null) {
      client.close(); // queued on the loop before the lease can shut it down
      client = null;
    }
    if (lease != null) {
      lease.release();
      lease = null;
    }
  }

  @Override
  public String toString() {
    return "DnsResolver{" + original + "}";
  }

  /** A lookup now if the minimum interval since the last one has passed, else at its end. */
  private void requestLookup() {
    if (deferredResolve != null && deferredResolve.isPending()) {
      return;
    }
    long sinceLast = ticker.nanoTime() - lastLookupStartNanos;
    if (!lookedUp || sinceLast >= minResolveIntervalNanos) {
      startLookup();
    } else {
      deferredResolve =
          syncContext.schedule(
              new DeferredResolve(),
              minResolveIntervalNanos - sinceLast,
              TimeUnit.NANOSECONDS,
              timer);
    }
  }

  private void startLookup() {
    if (client == null) {
      lease = loops.acquire();
      client = new DnsLookupClient(lease.eventLoop(), target.nameServer(), queryTimeoutMillis);
    }
    lookedUp = true;
    lastLookupStartNanos = ticker.nanoTime();
    CompletableFuture<List<InetAddress>> addresses = client.lookup(target.host());
    CompletableFuture<List<String>> txt =
        conn.serviceConfigLookupDisabled()
            ? CompletableFuture.completedFuture(List.of())
            : client
                .lookupTxt(ServiceConfigChoices.txtName(target.host()))
                .exceptionally(
                    cause -> {
                      // As grpc-go: a failed TXT lookup is no service config, not a failure.
                      LOG.log(
                          System.Logger.Level.DEBUG,
                          "{0}: TXT lookup failed: {1}",
                          original,
                          cause.toString());
                      return List.of();
                    });
    CompletableFuture<Answer> lookup = addresses.thenCombine(txt, Answer::new);
    inFlight = lookup;
    // The answer comes on the event loop; it is used in the serializer, if still the one in flight.
    lookup.whenComplete(
        (answer, cause) -> syncContext.execute(new LookupDone(lookup, answer, cause)));
  }

  /** A lookup's addresses and the TXT records of {@code _grpc_config.<host>}. */
  private record Answer(List<InetAddress> addresses, List<String> txt) {
    Answer {
      addresses = List.copyOf(addresses);
      txt = List.copyOf(txt);
    }
  }

  /**
   * The service config the TXT records select, or (when they are invalid) the last good one, with a
   * WARNING; null when none is published or lookups are disabled.
   */
  private String serviceConfig(List<String> txt) {
    try {
      lastGoodServiceConfig =
          ServiceConfigChoices.select(
              txt, () -> ThreadLocalRandom.current().nextInt(100), LocalHostName::get);
    } catch (IllegalArgumentException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: ignoring the service config in DNS ({1}): {2}",
          original,
          ServiceConfigChoices.txtName(target.host()),
          e.getMessage());
    }
    return lastGoodServiceConfig;
  }

  private void onLookupSucceeded(Answer answer) {
    List<Address> addresses = toAddresses(answer.addresses());
    if (addresses.isEmpty()) {
      onLookupFailed(null);
      return;
    }
    backoff.reset();
    if (resolveAfterLookup) {
      resolveAfterLookup = false;
      requestLookup();
    }
    conn.updateState(new ResolverState(addresses, serviceConfig(answer.txt()), Attributes.EMPTY));
  }

  private void onLookupFailed(Throwable cause) {
    resolveAfterLookup = false; // the retry serves it
    long delayNanos = backoff.nextDelayNanos();
    // Timer first, report second: whoever sees the report sees the retry scheduled.
    retryTimer = syncContext.schedule(new RetryLookup(), delayNanos, TimeUnit.NANOSECONDS, timer);
    Status error = Status.UNAVAILABLE.withDescription(describeFailure(cause)).withCause(cause);
    LOG.log(
        System.Logger.Level.DEBUG,
        () -> error + "; retrying in " + TimeUnit.NANOSECONDS.toMillis(delayNanos) + " ms");
    conn.reportError(error);
  }

  private String describeFailure(Throwable cause) {
    String where =
        "DNS resolution of '"
            + target.host()
            + "'"
            + (target.nameServer() == null
                ? ""
                : " via name server " + format(target.nameServer()));
    return where + " failed: " + reason(cause);
  }

  /** Why a lookup failed, in a few words: the DNS error code, a timeout, or Netty's message. */
  private String reason(Throwable cause) {
    if (cause == null) {
      return "no A or AAAA records";
    }
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof DnsErrorCauseException dns) {
        // Netty spells codes "NXDomain(3)"; the RFCs and dig say NXDOMAIN.
        return dns.getCode().toString().toUpperCase(Locale.ROOT)
            + " ("
            + cause.getMessage().trim()
            + ")";
      }
      if (c instanceof DnsNameResolverTimeoutException) {
        return "query timed out after "
            + queryTimeoutMillis
            + " ms ("
            + cause.getMessage().trim()
            + ")";
      }
    }
    return cause.getMessage() != null ? cause.getMessage().trim() : cause.toString();
  }

  /** IPv4 answers first, then IPv6, each in answer order, without duplicates. */
  private List<Address> toAddresses(List<InetAddress> answers) {
    Set<InetAddress> v4 = new LinkedHashSet<>();
    Set<InetAddress> v6 = new LinkedHashSet<>();
    for (InetAddress a : answers) {
      (a instanceof Inet4Address ? v4 : v6).add(a);
    }
    List<Address> out = new ArrayList<>(v4.size() + v6.size());
    for (InetAddress a : v4) {
      out.add(Address.of(new InetSocketAddress(a, target.port())));
    }
    for (InetAddress a : v6) {
      out.add(Address.of(new InetSocketAddress(a, target.port())));
    }
    return out;
  }

  private static String format(InetSocketAddress address) {
    String ip = NetUtil.toAddressString(address.getAddress());
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + address.getPort();
  }

  private ResolverState literalState() {
    return ResolverState.of(
        List.of(Address.of(new InetSocketAddress(target.literal(), target.port()))));
  }

  private static void cancel(ScheduledHandle handle) {
    if (handle != null) {
      handle.cancel();
    }
  }

  /** A lookup's answer (or failure), in the serializer. */
  private final class LookupDone implements Runnable {
    private final CompletableFuture<Answer> lookup;
    private final Answer answer; // null on failure
    private final Throwable cause; // null on success

    LookupDone(CompletableFuture<Answer> lookup, Answer answer, Throwable cause) {
      this.lookup = lookup;
      this.answer = answer;
      this.cause = cause;
    }

    @Override
    public void run() {
      if (closed || lookup != inFlight) {
        return; // late: closed meanwhile
      }
      inFlight = null;
      if (answer != null) {
        onLookupSucceeded(answer);
      } else {
        onLookupFailed(
            cause instanceof CompletionException c && c.getCause() != null ? c.getCause() : cause);
      }
    }
  }

  /** The minimum interval has passed since a rate-limited {@code resolveNow}. */
  private final class DeferredResolve implements Runnable {
    @Override
    public void run() {
      deferredResolve = null;
      if (closed || (retryTimer != null && retryTimer.isPending())) {
        return;
      }
      if (inFlight != null) {
        resolveAfterLookup = true;
        return;
      }
      startLookup();
    }
  }

  /** The backoff after a failed lookup has passed: look up again, rate limit or not. */
  private final class RetryLookup implements Runnable {
    @Override
    public void run() {
      retryTimer = null;
      if (closed || inFlight != null) {
        return;
      }
      startLookup();
    }
  }
}
