package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.transport.TransportRegistry;
import dev.switchboard.testing.UncaughtErrors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real threads: 8 client threads make unary calls back to back while round_robin's provider is
 * registered, deregistered and replaced by new versions 10 times under a channel configured {@code
 * [round_robin, pick_first]}. Not one call may fail. Pacing uses completed calls and latches, never
 * sleeps.
 */
class ProviderFlipStressTest {
  private static final int CLIENTS = 8;
  private static final int FLIPS = 10;

  private final ExecutorService callExecutor = Executors.newFixedThreadPool(4);
  private final ExecutorService server = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final Semaphore completions = new Semaphore(0);
  private final Semaphore chaosPermits = new Semaphore(0);
  private final AtomicLong calls = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final BalancerRegistry balancers = new BalancerRegistry();
  private final ResolverRegistry resolvers = new ResolverRegistry();
  private final TransportRegistry transports = new TransportRegistry();
  private final FakeResolverProvider resolver = new FakeResolverProvider("fake");
  private ClientConnImpl conn;

  @AfterEach
  void shutdownThreads() {
    stop.set(true);
    chaosPermits.release(1_000_000);
    if (conn != null) {
      conn.close();
    }
    callExecutor.shutdownNow();
    server.shutdownNow();
    timer.shutdownNow();
  }

  @Test
  @Timeout(120)
  void noCallFailsWhileRoundRobinComesGoesAndIsReplaced() throws Exception {
    run(false, false);
  }

  @Test
  @Timeout(120)
  void noCallFailsWithGoAwaysRacingTheFlipsEither() throws Exception {
    run(true, true);
  }

  /**
   * @param goAways whether a chaos thread sends GOAWAYs on random connections meanwhile
   * @param reportRefused whether the transport reports refused streams as such (Netty does not yet:
   *     then only the channel's own care keeps calls from being refused)
   */
  private void run(boolean goAways, boolean reportRefused) throws Exception {
    LoopbackTransportProvider transport = new LoopbackTransportProvider(reportRefused, server);
    balancers.register(new TestPickFirstBalancer.Provider("pick_first"));
    resolvers.register(resolver);
    transports.register(transport);
    ChannelEnvironment env =
        new ChannelEnvironment(
            Deadline.Ticker.system(),
            timer,
            callExecutor,
            callExecutor,
            () -> 0.5,
            (thread, e) -> UncaughtErrors.report(e),
            name -> null); // no proxy variables
    DialOptions options =
        DialOptions.newBuilder()
            .insecure()
            .balancerRegistry(balancers)
            .resolverRegistry(resolvers)
            .transportRegistry(transports)
            .codecRegistry(new CodecRegistry())
            .defaultServiceConfig(ChannelFixture.RR_THEN_PF)
            .build();
    conn = ChannelFactory.forTarget("fake:///svc", options, env);
    conn.connect();
    resolver.last().resolve(address(1), address(2), address(3));

    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Thread t = new Thread(this::callLoop, "client-" + i);
      t.start();
      clients.add(t);
    }
    Thread chaos = null;
    if (goAways) {
      chaos =
          new Thread(
              () -> {
                while (!stop.get()) {
                  chaosPermits.acquireUninterruptibly(25);
                  if (!stop.get()) {
                    transport.goAwayOne();
                  }
                }
              },
              "goaway-chaos");
      chaos.start();
    }

    awaitCalls(200);
    List<CountDownLatch> releases = new ArrayList<>();
    TestRoundRobinBalancer.Provider registered = null;
    int version = 0;
    for (int flip = 1; flip <= FLIPS; flip++) {
      if (registered == null) {
        // round_robin arrives: pick_first -> round_robin
        registered = new TestRoundRobinBalancer.Provider("1." + ++version);
        releases.add(register(registered, version));
        awaitBalancer("round_robin", origin(version));
      } else if (flip % 3 == 2) {
        // round_robin leaves: round_robin -> pick_first, its provider released after the switch
        balancers.deregister(registered);
        registered = null;
        assertTrue(
            releases.get(version - 1).await(30, TimeUnit.SECONDS),
            "round_robin " + version + " released once the switch is over");
        awaitBalancer("pick_first", null);
      } else {
        // a new version replaces it: registered with a higher ranking, then the old one leaves
        TestRoundRobinBalancer.Provider old = registered;
        int oldVersion = version;
        registered = new TestRoundRobinBalancer.Provider("1." + ++version);
        releases.add(register(registered, version));
        balancers.deregister(old);
        assertTrue(
            releases.get(oldVersion - 1).await(30, TimeUnit.SECONDS),
            "round_robin " + oldVersion + " released once its successor took over");
        awaitBalancer("round_robin", origin(version));
      }
      awaitCalls(100);
    }

    stop.set(true);
    chaosPermits.release(1_000_000);
    for (Thread t : clients) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    if (chaos != null) {
      chaos.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertEquals(List.of(), failures, "calls failed");
    assertTrue(calls.get() > 1000, "enough calls overlapped the flips: " + calls.get());

    conn.close();
    assertTrue(conn.awaitTermination(30, TimeUnit.SECONDS));
    if (registered != null) {
      balancers.deregister(registered);
    }
    for (int v = 1; v <= version; v++) {
      assertTrue(releases.get(v - 1).await(30, TimeUnit.SECONDS), "version " + v + " released");
    }
  }

  private static String origin(int version) {
    return "bundle test.roundrobin 1." + version + ".0";
  }

  private CountDownLatch register(TestRoundRobinBalancer.Provider provider, int version) {
    CountDownLatch released = new CountDownLatch(1);
    balancers.register(provider, version, origin(version), released::countDown);
    return released;
  }

  /** Lets calls run until the serving balancer is {@code name} from {@code origin}, alone. */
  private void awaitBalancer(String name, String origin) throws InterruptedException {
    for (int i = 0; i < 2000; i++) {
      List<ChannelWiring.Component> b =
          conn.describeWiring().components(ChannelWiring.Role.BALANCER);
      if (b.size() == 1
          && b.get(0).name().equals(name)
          && b.get(0).state() == ChannelWiring.State.ACTIVE
          && (origin == null || origin.equals(b.get(0).origin()))) {
        return;
      }
      awaitCalls(5);
    }
    fail("the channel never settled on " + name + " " + origin + ": " + conn.describeWiring());
  }

  private void awaitCalls(int n) throws InterruptedException {
    completions.drainPermits();
    if (!completions.tryAcquire(n, 30, TimeUnit.SECONDS)) {
      fail("calls stopped completing; failures so far: " + failures + "\n" + conn.describeWiring());
    }
  }

  /** One client: unary calls back to back, each awaited. */
  private void callLoop() {
    while (!stop.get()) {
      CountDownLatch done = new CountDownLatch(1);
      Status[] result = new Status[1];
      ClientStream<String, String> call = conn.newStream(ChannelFixture.UNARY, CallOptions.DEFAULT);
      call.start(
          new ClientStreamListener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
              result[0] = status;
              done.countDown();
            }
          },
          new Metadata());
      call.request(1);
      call.sendMessage("ping");
      call.halfClose();
      try {
        if (!done.await(30, TimeUnit.SECONDS)) {
          failures.add("call hung");
          call.cancel("hung", null);
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!result[0].isOk()) {
        failures.add(result[0].toString());
      }
      calls.incrementAndGet();
      completions.release();
      chaosPermits.release();
    }
  }
}
