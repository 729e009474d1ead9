package dev.switchboard.clientconn.internal;

import static dev.switchboard.api.ConnectivityState.CONNECTING;
import static dev.switchboard.api.ConnectivityState.IDLE;
import static dev.switchboard.api.ConnectivityState.READY;
import static dev.switchboard.api.ConnectivityState.SHUTDOWN;
import static dev.switchboard.api.ConnectivityState.TRANSIENT_FAILURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.BackoffConfig;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.SynchronizationContext;
import dev.switchboard.api.TransportCredentials;
import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.SubConnState;
import dev.switchboard.api.transport.ClientTransportFactory;
import dev.switchboard.api.transport.ClientTransportOptions;
import dev.switchboard.testing.FakeClock;
import dev.switchboard.testing.StringMarshaller;
import dev.switchboard.testing.UncaughtErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SubConnImplTest {
  private static final Address A1 = FakeResolverProvider.address(1001);
  private static final Address A2 = FakeResolverProvider.address(1002);
  private static final Address A3 = FakeResolverProvider.address(1003);
  private static final Status REFUSED = Status.UNAVAILABLE.withDescription("connection refused");

  private final FakeClock clock = new FakeClock();
  private final SynchronizationContext syncContext =
      new SynchronizationContext((t, e) -> UncaughtErrors.report(e));
  private final FakeTransportProvider provider = new FakeTransportProvider("netty");
  private final ClientTransportFactory factory =
      provider.newClientTransportFactory(TransportCredentials.insecure());
  private final List<SubConnState> states = new ArrayList<>();
  private StatusException factoryError;
  private int readyLost;
  private int terminated;
  private BackoffConfig backoffConfig = BackoffConfig.DEFAULT;

  private final SubConnImpl.Host host =
      new SubConnImpl.Host() {
        @Override
        public ClientTransportFactory transportFactory() throws StatusException {
          if (factoryError != null) {
            throw factoryError;
          }
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
        public void onReadyLost(SubConnImpl subConn) {
          readyLost++;
        }

        @Override
        public void onTerminated(SubConnImpl subConn) {
          terminated++;
        }
      };

  private SubConnImpl newSubConn(Address... addresses) {
    return new SubConnImpl(
        List.of(addresses),
        host,
        syncContext,
        clock.scheduledExecutor(),
        clock.ticker(),
        new Backoff(backoffConfig, () -> 0.5));
  }

  private void inContext(Runnable r) {
    syncContext.execute(r);
  }

  private List<ConnectivityState> stateNames() {
    return states.stream().map(SubConnState::state).toList();
  }

  @Test
  void connectsToReady() {
    SubConnImpl sc = newSubConn(A1);
    inContext(sc::connect);
    assertEquals(List.of(CONNECTING), stateNames());
    FakeTransport t = provider.last();
    assertEquals(A1.socketAddress(), t.address);
    assertEquals(Duration.ofSeconds(20), t.options.connectTimeout());
    assertNull(sc.readyTransport());

    t.ready();
    assertEquals(List.of(CONNECTING, READY), stateNames());
    assertSame(t, sc.readyTransport());
  }

  @Test
  void stateIsReportedAfterTheCallingTask() {
    SubConnImpl sc = newSubConn(A1);
    inContext(
        () -> {
          sc.connect();
          assertTrue(states.isEmpty(), "a balancer must not be re-entered from its own connect()");
        });
    assertEquals(List.of(CONNECTING), stateNames());
  }

  @Test
  void failureBacksOffExponentiallyThenRetries() {
    SubConnImpl sc = newSubConn(A1);
    inContext(sc::connect);
    provider.last().fail(REFUSED);
    assertEquals(List.of(CONNECTING, TRANSIENT_FAILURE), stateNames());
    assertEquals(REFUSED, states.get(1).connectionError());
    assertEquals(TimeUnit.SECONDS.toNanos(1), clock.nextTaskDelayNanos());

    clock.forwardTime(999, TimeUnit.MILLISECONDS);
    assertEquals(1, provider.transports.size());
    clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertEquals(2, provider.transports.size());
    assertEquals(CONNECTING, states.get(2).state());

    provider.last().fail(REFUSED);
    assertEquals(TimeUnit.MILLISECONDS.toNanos(1600), clock.nextTaskDelayNanos());
    clock.forwardTime(1600, TimeUnit.MILLISECONDS);
    provider.last().fail(REFUSED);
    assertEquals(TimeUnit.MILLISECONDS.toNanos(2560), clock.nextTaskDelayNanos());
    clock.forwardTime(2560, TimeUnit.MILLISECONDS);
    assertEquals(4, provider.transports.size());

    provider.last().ready();
    assertEquals(READY, states.get(states.size() - 1).state());
    assertNotNull(sc.readyTransport());
  }

  @Test
  void backoffIsMeasuredFromTheAttemptStart() {
    SubConnImpl sc = newSubConn(A1);
    inContext(sc::connect);
    clock.forwardTime(300, TimeUnit.MILLISECONDS);
    provider.last().fail(REFUSED);
    assertEquals(TimeUnit.MILLISECONDS.toNanos(700), clock.nextTaskDelayNanos());
    assertEquals(TRANSIENT_FAILURE, states.get(states.size() - 1).state());
    assertNotNull(sc);
  }

  @Test
  void triesAddressesInOrderWithinOneAttempt() {
    SubConnImpl sc = newSubConn(A1, A2, A3);
    inContext(sc::connect);
    provider.last().fail(REFUSED);
    provider.last().fail(REFUSED);
    assertEquals(
        List.of(A1.socketAddress(), A2.socketAddress(), A3.socketAddress()),
        provider.transports.stream().map(t -> t.address).toList());
    assertEquals(List.of(CONNECTING), stateNames());

    provider.last().ready();
    assertEquals(List.of(CONNECTING, READY), stateNames());
    assertSame(provider.transports.get(2), sc.readyTransport());
  }

  @Test
  void allAddressesFailingReportsTheLastErrorAndRestartsFromTheFirst() {
    SubConnImpl sc = newSubConn(A1, A2);
    inContext(sc::connect);
    provider.last().fail(REFUSED);
    Status last = Status.UNAVAILABLE.withDescription("no route to host");
    provider.last().fail(last);
    assertEquals(List.of(CONNECTING, TRANSIENT_FAILURE), stateNames());
    assertEquals(last, states.get(1).connectionError());

    clock.forwardTime(1, TimeUnit.SECONDS);
    assertEquals(A1.socketAddress(), provider.last().address);
    assertNotNull(sc);
  }

  @Test
  void connectTimeoutMovesToTheNextAddress() {
    SubConnImpl sc = newSubConn(A1, A2);
    inContext(sc::connect);
    FakeTransport first = provider.last();
    clock.forwardTime(20, TimeUnit.SECONDS);
    assertNotNull(first.shutdownNowReason);
    assertTrue(
        first.shutdownNowReason.getDescription().contains("timed out after PT20S"),
        first.shutdownNowReason.getDescription());
    assertEquals(A2.socketAddress(), provider.last().address);

    first.ready(); // too late: ignored and shut down
    assertEquals(List.of(CONNECTING), stateNames());
    provider.last().ready();
    assertSame(provider.last(), sc.readyTransport());
  }

  @Test
  void connectTimeoutIsAtLeastTheBackoff() {
    backoffConfig =
        new BackoffConfig(
            Duration.ofSeconds(5), 1.6, 0, Duration.ofSeconds(60), Duration.ofSeconds(1));
    SubConnImpl sc = newSubConn(A1);
    inContext(sc::connect);
    assertEquals(Duration.ofSeconds(5), provider.last().options.connectTimeout());
    provider.last().fail(REFUSED);
    clock.forwardTime(5, TimeUnit.SECONDS);
    assertEquals(Duration.ofSeconds(8), provider.last().options.connectTimeout());
  }

  @Test
  void goAwayAfterReadyGoesIdleAndAsksToReResolve() {
    SubConnImpl sc = newSubConn(A1);
    inContext(sc::connect);
    FakeTransport t = provider.last();
    t.ready();
    t.goAway(Status.UNAVAILABLE.withDescription("GOAWAY"));
    assertEquals(List.of(CONNECTING, READY, IDLE), stateNames());
    assertEquals(1, readyLost);
    assertNull(sc.readyTransport());
    assertEquals(1, provider.transports.size(), "no reconnect until asked");

    inContext(sc::connect);
    assertEquals(2, provider.transports.size());
    provider.last().fail(REFUSED);
    assertEquals(TimeUnit.SECONDS.toNanos(1), clock.nextTaskDelayNanos(), "backoff was reset");
  }

  @Test
  void missingTransportFailsWithItsName() {
    factoryError =
        Status.UNAVAILABLE.withDescription("no transport 'netty' deployed").asException();
    SubConnImpl sc = newSubConn(A1, A2);
    inContext(sc::connect);
    assertEquals(List.of(CONNECTING, TRANSIENT_FAILURE), stateNames());
    assertEquals("no transport 'netty' deployed", states.get(1).connectionError().getDescription());

    factoryError = null; // deployed meanwhile
    clock.forwardTime(1, TimeUnit.SECONDS);
    provider.last().ready();
    assertNotNull(sc.readyTransport());
  }

  @Test
  void shutdownIsGracefulAndTerminatesAfterStreams() {
    SubConnImpl sc = newSubConn(A1);
    inContext(sc::connect);
    FakeTransport t = provider.last();
    t.ready();
    FakeStream<String> stream =
        t.newStream(
            ChannelFixture.UNARY, new Metadata(), CallOptions.DEFAULT, StringMarshaller.INSTANCE);
    stream.start(new RecordingTransportListener());

    inContext(sc::shutdown);
    assertEquals(SHUTDOWN, states.get(states.size() - 1).state());
    assertNotNull(t.shutdownReason);
    assertNull(t.shutdownNowReason);
    assertNull(sc.readyTransport());
    assertEquals(0, terminated);

    stream.close(Status.OK, new Metadata());
    assertEquals(1, terminated);
    inContext(sc::connect);
    assertEquals(1, provider.transports.size(), "connect after shutdown does nothing");
  }

  @Test
  void nothingIsReportedAfterShutdownButShutdown() {
    SubConnImpl sc = newSubConn(A1);
    inContext(
        () -> {
          sc.connect();
          sc.shutdown();
        });
    assertEquals(List.of(SHUTDOWN), stateNames());
  }

  @Test
  void shutdownNowClosesStreams() {
    SubConnImpl sc = newSubConn(A1);
    inContext(sc::connect);
    FakeTransport t = provider.last();
    t.ready();
    inContext(() -> sc.shutdownNow(Status.CANCELLED.withDescription("channel is closing")));
    assertEquals("channel is closing", t.shutdownNowReason.getDescription());
    assertEquals(1, terminated);
  }

  @Test
  void shutdownWhileBackingOffCancelsTheRetry() {
    SubConnImpl sc = newSubConn(A1);
    inContext(sc::connect);
    provider.last().fail(REFUSED);
    inContext(sc::shutdown);
    assertEquals(0, clock.numScheduledTasks());
    assertEquals(1, terminated);
  }

  @Test
  void updateAddressesKeepsAConnectionWhoseAddressStays() {
    SubConnImpl sc = newSubConn(A1, A2);
    inContext(sc::connect);
    FakeTransport t = provider.last();
    t.ready();
    inContext(() -> sc.updateAddresses(List.of(A3, A1)));
    assertSame(t, sc.readyTransport());
    assertNull(t.shutdownReason);
    assertEquals(List.of(A3, A1), sc.addresses());
  }

  @Test
  void updateAddressesReconnectsWhenTheConnectedAddressIsRemoved() {
    SubConnImpl sc = newSubConn(A1);
    inContext(sc::connect);
    FakeTransport t = provider.last();
    t.ready();
    inContext(() -> sc.updateAddresses(List.of(A2)));
    assertNotNull(t.shutdownReason);
    assertEquals(A2.socketAddress(), provider.last().address);
    assertEquals(CONNECTING, states.get(states.size() - 1).state());
    provider.last().ready();
    assertSame(provider.last(), sc.readyTransport());
    assertFalse(readyLost > 0, "a planned switch is not a lost connection");
  }

  @Test
  void methodsMustRunInTheSerializer() {
    SubConnImpl sc = newSubConn(A1);
    try {
      sc.connect();
    } catch (IllegalStateException expected) {
      return;
    }
    throw new AssertionError("connect outside the serializer was accepted");
  }
}
