package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Deadline;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.SubConn;
import dev.switchboard.testing.RecordingClientListener;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The picker wrapper's queueing rules, driven by a scripted balancer. */
class PickingTest {
  private static final Status NO_BACKENDS = Status.UNAVAILABLE.withDescription("no backends");
  private final ChannelFixture f = new ChannelFixture();
  private final ScriptedBalancer.Provider scripted = new ScriptedBalancer.Provider();
  private ClientConnImpl conn;
  private ScriptedBalancer balancer;

  @BeforeEach
  void resolved() {
    f.balancers.register(scripted);
    conn =
        f.dial(
            "fake:///svc",
            f.options().defaultServiceConfig(ScriptedBalancer.Provider.CONFIG).build());
    conn.connect();
    f.resolver.last().resolve(address(1));
    balancer = scripted.last();
  }

  private SubConn readySubConn() {
    SubConn sc = balancer.connectSubConn(balancer.updates.get(0));
    f.transport.last().ready();
    return sc;
  }

  @Test
  void noPickerYetQueues() {
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(1, conn.queuedCallCount());
    assertFalse(call.isClosed());
  }

  @Test
  void noResultQueuesUntilTheNextPicker() {
    balancer.publish(ConnectivityState.CONNECTING, Picker.of(PickResult.withNoResult()));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(1, conn.queuedCallCount());

    SubConn sc = readySubConn();
    balancer.publish(ConnectivityState.READY, Picker.of(PickResult.withSubConn(sc)));
    assertEquals(0, conn.queuedCallCount());
    assertEquals("start", f.lastStream().events.get(0));
    assertFalse(call.isClosed());
  }

  @Test
  void errorFailsFailFastCallsButQueuesWaitForReadyOnes() {
    balancer.publish(
        ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(NO_BACKENDS)));
    RecordingClientListener<String> failFast = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    RecordingClientListener<String> waiting =
        ChannelFixture.startCall(conn, CallOptions.DEFAULT.withWaitForReady());
    assertEquals(NO_BACKENDS, failFast.status());
    assertFalse(waiting.isClosed());
    assertEquals(1, conn.queuedCallCount());

    SubConn sc = readySubConn();
    balancer.publish(ConnectivityState.READY, Picker.of(PickResult.withSubConn(sc)));
    assertEquals(0, conn.queuedCallCount());
    assertEquals(1, f.transport.last().streams.size());
  }

  @Test
  void queuedFailFastCallFailsWhenAnErrorPickerArrives() {
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    balancer.publish(
        ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(NO_BACKENDS)));
    assertEquals(NO_BACKENDS, call.status());
    assertEquals(0, conn.queuedCallCount());
  }

  @Test
  void dropFailsEvenWaitForReadyCalls() {
    Status dropped = Status.UNAVAILABLE.withDescription("dropped by policy");
    balancer.publish(ConnectivityState.READY, Picker.of(PickResult.withDrop(dropped)));
    RecordingClientListener<String> call =
        ChannelFixture.startCall(conn, CallOptions.DEFAULT.withWaitForReady());
    assertEquals(dropped, call.status());
    assertEquals(0, conn.queuedCallCount());
  }

  @Test
  void unavailableCarriesTheLastConnectionError() {
    balancer.connectSubConn(balancer.updates.get(0));
    f.transport.last().fail(Status.UNAVAILABLE.withDescription("connection refused"));
    balancer.publish(
        ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(NO_BACKENDS)));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(Status.Code.UNAVAILABLE, call.status().getCode());
    assertEquals(
        "no backends\nlast connection error: connection refused", call.status().getDescription());
  }

  @Test
  void otherCodesAreNotDecorated() {
    balancer.connectSubConn(balancer.updates.get(0));
    f.transport.last().fail(Status.UNAVAILABLE.withDescription("connection refused"));
    Status denied = Status.PERMISSION_DENIED.withDescription("not allowed");
    balancer.publish(ConnectivityState.TRANSIENT_FAILURE, Picker.of(PickResult.withError(denied)));
    assertEquals(denied, ChannelFixture.startCall(conn, CallOptions.DEFAULT).status());
  }

  @Test
  void subConnNotReadyRePicksOnTheNextPicker() {
    SubConn sc = balancer.connectSubConn(balancer.updates.get(0));
    balancer.publish(ConnectivityState.READY, Picker.of(PickResult.withSubConn(sc)));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(1, conn.queuedCallCount(), "the SubConn is still connecting");

    f.transport.last().ready();
    assertEquals(1, conn.queuedCallCount(), "waits for a new picker, not for the SubConn");
    balancer.publish(ConnectivityState.READY, Picker.of(PickResult.withSubConn(sc)));
    assertEquals(0, conn.queuedCallCount());
    assertFalse(call.isClosed());
    assertEquals(1, f.transport.last().streams.size());
  }

  @Test
  void throwingPickerFailsTheCallNamingThePolicy() {
    balancer.publish(
        ConnectivityState.READY,
        info -> {
          throw new IllegalStateException("picker bug");
        });
    RecordingClientListener<String> call =
        ChannelFixture.startCall(conn, CallOptions.DEFAULT.withWaitForReady());
    assertEquals(Status.Code.UNAVAILABLE, call.status().getCode());
    assertTrue(
        call.status().getDescription().startsWith("picker of balancing policy 'scripted'"),
        call.status().getDescription());
  }

  @Test
  void queuedCallFailsWhenItsDeadlinePasses() {
    CallOptions options =
        CallOptions.DEFAULT
            .withWaitForReady()
            .withDeadline(Deadline.after(5, TimeUnit.SECONDS, f.clock.ticker()));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, options);
    assertEquals(1, conn.queuedCallCount());
    f.clock.forwardTime(4999, TimeUnit.MILLISECONDS);
    assertFalse(call.isClosed());
    f.clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, call.status().getCode());
    assertEquals(0, conn.queuedCallCount());

    SubConn sc = readySubConn();
    balancer.publish(ConnectivityState.READY, Picker.of(PickResult.withSubConn(sc)));
    assertTrue(f.transport.last().streams.isEmpty(), "an expired call never reaches the network");
    assertEquals(1, call.closeCount());
  }

  @Test
  void cancellingAQueuedCallWithdrawsIt() {
    dev.switchboard.api.ClientStream<String, String> call =
        conn.newStream(ChannelFixture.UNARY, CallOptions.DEFAULT);
    RecordingClientListener<String> listener = new RecordingClientListener<>();
    call.start(listener, new dev.switchboard.api.Metadata());
    call.sendMessage("buffered");
    call.cancel("user gave up", null);
    assertEquals(Status.CANCELLED.withDescription("user gave up"), listener.status());
    assertEquals(0, conn.queuedCallCount());
    SubConn sc = readySubConn();
    balancer.publish(ConnectivityState.READY, Picker.of(PickResult.withSubConn(sc)));
    assertTrue(f.transport.last().streams.isEmpty());
    assertEquals(1, listener.closeCount());
  }

  @Test
  void bufferedOperationsAreReplayedInOrder() {
    dev.switchboard.api.ClientStream<String, String> call =
        conn.newStream(ChannelFixture.BIDI, CallOptions.DEFAULT);
    call.start(new RecordingClientListener<>(), new dev.switchboard.api.Metadata());
    call.request(3);
    call.sendMessage("a");
    call.sendMessage("b");
    assertFalse(call.isReady());
    SubConn sc = readySubConn();
    balancer.publish(ConnectivityState.READY, Picker.of(PickResult.withSubConn(sc)));
    call.sendMessage("c");
    call.halfClose();
    assertTrue(call.isReady());
    assertEquals(
        java.util.List.of(
            "start",
            "request 3",
            "write a",
            "flush",
            "write b",
            "flush",
            "write c",
            "flush",
            "halfClose"),
        f.lastStream().events);
  }

  @Test
  void pickedSubConnMustBelongToTheChannel() {
    SubConn foreign =
        new SubConn() {
          @Override
          public void connect() {}

          @Override
          public void shutdown() {}

          @Override
          public void updateAddresses(java.util.List<dev.switchboard.api.spi.Address> a) {}

          @Override
          public java.util.List<dev.switchboard.api.spi.Address> addresses() {
            return java.util.List.of();
          }
        };
    balancer.publish(ConnectivityState.READY, Picker.of(PickResult.withSubConn(foreign)));
    RecordingClientListener<String> call = ChannelFixture.startCall(conn, CallOptions.DEFAULT);
    assertEquals(Status.Code.INTERNAL, call.status().getCode());
    assertNull(call.headers());
    assertSame(scripted.last(), balancer);
  }
}
