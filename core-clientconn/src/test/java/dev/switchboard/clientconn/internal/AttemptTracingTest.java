package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Context;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import dev.switchboard.api.telemetry.ClientCallInfo;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.telemetry.ServerCallTracer;
import dev.switchboard.api.telemetry.TelemetryProvider;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import dev.switchboard.testing.FakeClock;
import dev.switchboard.testing.StringMarshaller;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Attempt tracing on {@link RetriableStream} over fake transports (transparent retries cannot be
 * provoked on demand over real sockets), and which factories {@link ClientTelemetry} hands a call.
 */
class AttemptTracingTest {
  private final Executor executor = Runnable::run;
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  private final FakeAttempts attempts = new FakeAttempts();
  private final List<FakeTransport> transports = attempts.transports;

  /** Records attempts and their events; each attempt adds x-traced to its headers. */
  private final ClientCallTracer.Factory factory =
      info ->
          new ClientCallTracer() {
            @Override
            public ClientAttemptTracer newAttempt(int previous, boolean transparent) {
              events.add("attempt " + previous + " " + transparent);
              return new ClientAttemptTracer() {
                @Override
                public void outboundHeaders(Metadata headers) {
                  events.add(previous + ":outHeaders");
                  headers.put("x-traced", "attempt-" + previous);
                }

                @Override
                public void inboundHeaders(Metadata headers) {
                  events.add(previous + ":inHeaders");
                }

                @Override
                public void attemptEnded(Status status) {
                  events.add(previous + ":ended " + status.getCode());
                }
              };
            }

            @Override
            public void callEnded(Status status) {
              events.add("callEnded " + status.getCode());
            }
          };

  @Test
  void aTransparentRetryIsAnAttemptFlaggedTransparentWithFreshHeaders() {
    Metadata callHeaders = new Metadata();
    RetriableStream<String> stream =
        new RetriableStream<>(
            attempts,
            ChannelFixture.BIDI,
            callHeaders,
            CallOptions.DEFAULT,
            StringMarshaller.INSTANCE,
            executor);
    CallTracing tracing =
        CallTracing.start(
            List.of(factory),
            new ClientCallInfo(ChannelFixture.BIDI, "fake:///x", CallOptions.DEFAULT),
            Context.ROOT);
    stream.traceWith(tracing);
    attempts.refuseNext = 1;
    RecordingTransportListener listener = new RecordingTransportListener();
    stream.start(listener);
    assertEquals(2, transports.size());
    FakeStream<String> second = transports.get(1).lastStream();
    second.deliverHeaders(new Metadata());
    second.close(Status.OK, new Metadata());
    tracing.callEnded(Status.OK);
    tracing.callEnded(Status.OK); // once only
    assertEquals(
        List.of(
            "attempt 0 false",
            "0:outHeaders",
            "0:ended UNAVAILABLE",
            "attempt 1 true",
            "1:outHeaders",
            "1:inHeaders",
            "1:ended OK",
            "callEnded OK"),
        events);
    assertEquals(List.of("attempt-1"), second.headers.getAll("x-traced"));
    assertNull(callHeaders.get("x-traced"), "the call's own headers are left alone");
    assertEquals(Status.OK, listener.status);
  }

  @Test
  void everyHedgeIsAnAttemptEndedOnce() {
    FakeClock clock = new FakeClock();
    HedgingStream<String> stream =
        new HedgingStream<>(
            attempts,
            ChannelFixture.UNARY,
            new Metadata(),
            CallOptions.DEFAULT,
            StringMarshaller.INSTANCE,
            executor,
            new ReplayBuffer<>(new ReplayBudget(10_000), 1000),
            new HedgingPolicy(2, TimeUnit.SECONDS.toNanos(1), Set.of(Status.Code.UNAVAILABLE)),
            null,
            clock.scheduledExecutor());
    stream.traceWith(
        CallTracing.start(
            List.of(factory),
            new ClientCallInfo(ChannelFixture.UNARY, "fake:///x", CallOptions.DEFAULT),
            Context.ROOT));
    RecordingTransportListener listener = new RecordingTransportListener();
    stream.start(listener);
    clock.forwardTime(1, TimeUnit.SECONDS);
    assertEquals(2, transports.size());
    FakeStream<String> second = transports.get(1).lastStream();
    assertEquals(List.of("attempt-1"), second.headers.getAll("x-traced"));
    second.deliverHeaders(new Metadata()); // the second hedge wins: the first is cancelled
    second.close(Status.OK, new Metadata());
    assertEquals(Status.OK, listener.status);
    assertEquals(
        List.of("attempt 0 false", "0:outHeaders", "attempt 1 false", "1:outHeaders"),
        events.subList(0, 4));
    assertEquals(
        Set.of("1:inHeaders", "0:ended CANCELLED", "1:ended OK"),
        Set.copyOf(events.subList(4, events.size())));
    assertEquals(7, events.size());
  }

  @Test
  void aFactoryThatDeclinesLeavesTheCallUntraced() {
    ClientCallTracer.Factory declining = info -> null;
    ClientCallTracer.Factory throwing =
        info -> {
          throw new IllegalStateException("boom");
        };
    assertNull(
        CallTracing.start(
            List.of(declining, throwing),
            new ClientCallInfo(ChannelFixture.BIDI, "fake:///x", CallOptions.DEFAULT),
            Context.ROOT));
  }

  @Test
  void withoutProvidersEveryCallGetsTheSameEmptyList() {
    ClientTelemetry none =
        new ClientTelemetry(DialOptions.newBuilder().insecure().build(), new TelemetryRegistry());
    assertTrue(none.factories().isEmpty());
    assertSame(none.factories(), none.factories());
  }

  @Test
  void installedProvidersCountUnlessLeftOut() {
    TelemetryRegistry registry = new TelemetryRegistry();
    TelemetryProvider installed = provider("installed", factory);
    ClientCallTracer.Factory own = info -> null;
    ClientTelemetry both =
        new ClientTelemetry(
            DialOptions.newBuilder().insecure().addTelemetry(provider("own", own)).build(),
            registry);
    ClientTelemetry ownOnly =
        new ClientTelemetry(
            DialOptions.newBuilder()
                .insecure()
                .addTelemetry(provider("own", own))
                .installedTelemetry(false)
                .build(),
            registry);
    assertEquals(List.of(own), both.factories());
    registry.register(installed); // arrives: new calls see it
    assertEquals(List.of(own, factory), both.factories());
    assertEquals(List.of(own), ownOnly.factories());
    registry.deregister(installed);
    assertEquals(List.of(own), both.factories());
  }

  private static TelemetryProvider provider(String name, ClientCallTracer.Factory clients) {
    return new TelemetryProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ClientCallTracer.Factory clientCallTracers() {
        return clients;
      }

      @Override
      public ServerCallTracer.Factory serverCallTracers() {
        return null;
      }
    };
  }
}
