package dev.switchboard.clientconn.internal;

import static dev.switchboard.api.ConnectivityState.CONNECTING;
import static dev.switchboard.api.ConnectivityState.IDLE;
import static dev.switchboard.api.ConnectivityState.READY;
import static dev.switchboard.api.ConnectivityState.TRANSIENT_FAILURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.HealthCheckListener;
import dev.switchboard.api.spi.HealthCheckProvider;
import dev.switchboard.api.spi.HealthCheckRegistry;
import dev.switchboard.api.spi.ProviderRegistry.Registration;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.testing.CapturedLog;
import dev.switchboard.testing.FakeClock;
import dev.switchboard.testing.UncaughtErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A SubConn's client-side health check (gRFC A17) on fake time, with a fake checker. */
class SubConnHealthTest {
  private static final Address A1 = FakeResolverProvider.address(1001);

  private final FakeClock clock = new FakeClock();
  private final SynchronizationContext syncContext =
      new SynchronizationContext((t, e) -> UncaughtErrors.report(e));
  private final FakeTransportProvider transports = new FakeTransportProvider("netty");
  private final ClientTransportFactory factory =
      transports.newClientTransportFactory(TransportCredentials.insecure());
  private final List<SubConnState> states = new ArrayList<>();
  private final HealthCheckRegistry registry = new HealthCheckRegistry();
  private final FakeChecker checker = new FakeChecker();
  private final HealthChecking checking = new HealthChecking(registry, false, "target");

  /** A checker recording its watches. */
  private static final class FakeChecker implements HealthCheckProvider {
    final List<FakeWatch> watches = new ArrayList<>();
    final List<FakeWatch> cancelled = new ArrayList<>();

    @Override
    public String name() {
      return DEFAULT_NAME;
    }

    @Override
    public Watch watch(ClientTransport transport, String serviceName, HealthCheckListener l) {
      FakeWatch w = new FakeWatch(transport, serviceName, l, cancelled);
      watches.add(w);
      return w;
    }

    FakeWatch last() {
      return watches.get(watches.size() - 1);
    }
  }

  private record FakeWatch(
      ClientTransport transport,
      String service,
      HealthCheckListener listener,
      List<FakeWatch> cancelled)
      implements HealthCheckProvider.Watch {
    @Override
    public void cancel() {
      cancelled.add(this);
    }
  }

  private final SubConnImpl.Host host =
      new SubConnImpl.Host() {
        @Override
        public ClientTransportFactory transportFactory() {
          return factory;
        }

        @Override
        public ClientTransportOptions transportOptions(Address address, Duration connectTimeout) {
          return new ClientTransportOptions(
              "authority",
              "ua",
              connectTimeout,
              8192,
              new CompressorRegistry(),
              address.attributes());
        }

        @Override
        public void onStateChange(SubConnImpl subConn, SubConnState state) {
          states.add(state);
        }

        @Override
        public void onReadyLost(SubConnImpl subConn) {}

        @Override
        public void onTerminated(SubConnImpl subConn) {}

        @Override
        public HealthChecking healthChecking() {
          return checking;
        }
      };

  private static ServiceConfig config(String policy, String serviceName) {
    Registration<BalancerProvider> r = new Registration<>(null, policy, 0, 0, 0, "test");
    return new ServiceConfig(
        policy, r, null, "test", "", List.of(), MethodConfigs.NONE, serviceName);
  }

  private void configure(String policy, String serviceName) {
    syncContext.execute(() -> checking.configured(config(policy, serviceName)));
  }

  private SubConnImpl readySubConn() {
    SubConnImpl sc =
        new SubConnImpl(
            List.of(A1),
            host,
            syncContext,
            clock.scheduledExecutor(),
            clock.ticker(),
            new Backoff(BackoffConfig.DEFAULT, () -> 0.5));
    syncContext.execute(sc::connect);
    transports.last().ready();
    return sc;
  }

  private List<ConnectivityState> stateNames() {
    return states.stream().map(SubConnState::state).toList();
  }

  @Test
  void readyOnlyWhileTheBackendSaysServing() {
    registry.register(checker);
    configure("round_robin", "svc");
    readySubConn();
    assertEquals(List.of(CONNECTING), stateNames(), "CONNECTING until the first answer");
    FakeWatch w = checker.last();
    assertEquals("svc", w.service());
    assertSame(transports.last(), w.transport());

    w.listener().statusReceived(true, "SERVING");
    assertEquals(List.of(CONNECTING, READY), stateNames());
    w.listener().statusReceived(false, "NOT_SERVING");
    assertEquals(List.of(CONNECTING, READY, TRANSIENT_FAILURE), stateNames());
    assertTrue(states.get(2).connectionError().getDescription().contains("NOT_SERVING"));
    w.listener().statusReceived(true, "SERVING");
    assertEquals(List.of(CONNECTING, READY, TRANSIENT_FAILURE, READY), stateNames());
  }

  @Test
  void anEndedWatchIsStartedAgainAfterTheBackoff() {
    registry.register(checker);
    configure("round_robin", "svc");
    readySubConn();
    FakeWatch first = checker.last();
    first.listener().watchEnded(Status.UNAVAILABLE); // no answer yet: back off
    assertEquals(List.of(CONNECTING, TRANSIENT_FAILURE), stateNames());
    assertEquals(1, checker.watches.size());
    clock.forwardTime(999, TimeUnit.MILLISECONDS); // base delay 1 s, no jitter with 0.5
    assertEquals(1, checker.watches.size());
    clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertEquals(2, checker.watches.size(), "watched again after 1 s");

    FakeWatch second = checker.last();
    second.listener().statusReceived(true, "SERVING");
    second.listener().watchEnded(Status.OK); // had an answer: watched again at once
    assertEquals(3, checker.watches.size());
    first.listener().statusReceived(true, "SERVING"); // an old watch: ignored
    assertEquals(
        List.of(CONNECTING, TRANSIENT_FAILURE, CONNECTING, READY, TRANSIENT_FAILURE, CONNECTING),
        stateNames());
    checker.last().listener().watchEnded(Status.UNAVAILABLE); // no answer: the backoff again
    clock.forwardTime(999, TimeUnit.MILLISECONDS);
    assertEquals(3, checker.watches.size());
    clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertEquals(4, checker.watches.size(), "the backoff started over at 1 s");
  }

  @Test
  void unimplementedMeansHealthyWithOneLogLine() {
    registry.register(checker);
    configure("round_robin", "svc");
    try (CapturedLog log = new CapturedLog(HealthWatch.class.getName())) {
      readySubConn();
      checker.last().listener().watchEnded(Status.UNIMPLEMENTED);
      assertEquals(List.of(CONNECTING, READY), stateNames());
      clock.forwardTime(1, TimeUnit.HOURS);
      assertEquals(1, checker.watches.size(), "not asked again on this connection");
      assertEquals(1, log.messages(System.Logger.Level.WARNING).size());
    }
  }

  @Test
  void losingTheConnectionCancelsTheWatch() {
    registry.register(checker);
    configure("round_robin", "svc");
    readySubConn();
    FakeWatch w = checker.last();
    w.listener().statusReceived(true, "SERVING");
    transports.last().goAway(Status.UNAVAILABLE);
    assertEquals(List.of(CONNECTING, READY, IDLE), stateNames());
    assertTrue(checker.cancelled.contains(w));
  }

  @Test
  void noCheckerDeployedMeansHealthyAndIsLoggedOnce() {
    configure("round_robin", "svc");
    try (CapturedLog log = new CapturedLog(HealthChecking.class.getName())) {
      readySubConn();
      readySubConn();
      assertEquals(List.of(CONNECTING, READY, CONNECTING, READY), stateNames());
      assertEquals(1, log.messages(System.Logger.Level.WARNING).size());
    }
  }

  @Test
  void pickFirstAndTheDialOptionIgnoreHealthChecks() {
    registry.register(checker);
    configure("pick_first", "svc");
    readySubConn();
    assertEquals(List.of(CONNECTING, READY), stateNames());
    HealthChecking disabled = new HealthChecking(registry, true, "target");
    syncContext.execute(() -> disabled.configured(config("round_robin", "svc")));
    syncContext.execute(() -> assertEquals(null, disabled.serviceName()));
    assertTrue(checker.watches.isEmpty());
  }
}
