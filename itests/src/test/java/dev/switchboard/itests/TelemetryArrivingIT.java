package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.TelemetryProvider;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.telemetry.otel.SwitchboardOpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * A {@link TelemetryProvider} that arrives as an OSGi service while a channel and a server in the
 * framework make calls over 127.0.0.1: every call started after it arrived is traced, on both
 * sides, and once it is unregistered new calls are not, and no call fails through either change.
 * Once with a recording provider (exact tracer counts, calls running across both changes), once
 * with {@link SwitchboardOpenTelemetry} over the OpenTelemetry SDK's bundles (spans that join one
 * trace per call, A66 counters).
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class TelemetryArrivingIT {
  private static final int CALLS = 20;
  private static final String UNARY = EchoService.UNARY.getFullMethodName();
  private static final String STREAM = EchoService.SERVER_STREAM.getFullMethodName();
  private static final CallOptions DEADLINE =
      CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);

  @Inject BundleContext ctx;

  private Server server;
  private ClientConn conn;
  private ServiceRegistration<TelemetryProvider> registration;

  @Configuration
  public Option[] config() {
    return FelixOptions.switchboard(
        FelixOptions.openTelemetryApi(
            "opentelemetry-sdk-common",
            "opentelemetry-sdk-trace",
            "opentelemetry-sdk-metrics",
            "opentelemetry-sdk-logs",
            "opentelemetry-sdk",
            "telemetry-otel"));
  }

  @Before
  public void serverAndChannel() throws Exception {
    server = Loopback.start(new EchoService("backend-0"));
    conn = ClientConns.newClient(Loopback.target(server), Loopback.insecure().build());
    assertEquals("backend-0", InFramework.callId(conn)); // connected, nothing installed to trace
  }

  @After
  public void tearDown() throws Exception {
    if (registration != null) {
      registration.unregister();
      awaitTracerFactories(0);
    }
    InFramework.shutdown(conn, List.of(server));
  }

  @Test
  public void callsAreTracedWhileTheProviderServiceIsRegisteredAndNoneFails() throws Exception {
    RecordingTelemetry recorder = new RecordingTelemetry("recording");
    try (Background background = new Background(conn)) {
      background.await(5);

      register(recorder);
      background.await(5);
      unaryCalls(CALLS);
      // Each of the calls made after the service arrived, on both sides, and it reached the
      // server with the client tracer's header: the registry is the one the core bundles use.
      List<RecordingTelemetry.ClientCall> clients = drain(recorder.clientCalls);
      List<RecordingTelemetry.ServerCall> servers = drain(recorder.serverCalls);
      assertEquals(CALLS, count(clients, c -> c.info.method().getFullMethodName(), UNARY));
      assertEquals(CALLS, count(servers, s -> s.info.fullMethodName(), UNARY));
      for (RecordingTelemetry.ClientCall c : clients) {
        List<String> events = c.awaitEnd();
        assertEquals(events.toString(), "callEnded OK", events.get(events.size() - 1));
      }
      for (RecordingTelemetry.ServerCall s : servers) {
        List<String> events = s.awaitEnd();
        assertEquals(events.toString(), "callEnded OK", events.get(events.size() - 1));
        if (s.info.fullMethodName().equals(UNARY)) {
          // (A background call started before the service arrived is traced on the server only.)
          assertEquals("attempt-0", s.info.headers().get("x-traced"));
        }
      }
      // The calls running meanwhile were traced too (at least the 4 of 5 started after it).
      assertTrue(count(clients, c -> c.info.method().getFullMethodName(), STREAM) >= 4);

      registration.unregister();
      registration = null;
      awaitTracerFactories(0);
      background.await(5);
      drain(recorder.clientCalls);
      drain(recorder.serverCalls);
      unaryCalls(CALLS);
      assertEquals(List.of(), drain(recorder.clientCalls));
      assertEquals(List.of(), drain(recorder.serverCalls));
    } // closing Background asserts that none of its calls failed
  }

  @Test
  public void anOpenTelemetrySdkProviderServiceRecordsEachCallAsOneTrace() throws Exception {
    OtelRecorder otel = new OtelRecorder();
    SwitchboardOpenTelemetry provider =
        SwitchboardOpenTelemetry.newBuilder().openTelemetry(otel.sdk).build();
    assertEquals(
        InFramework.bundle(ctx, "telemetry-otel"), FrameworkUtil.getBundle(provider.getClass()));
    // Same name as the bundle's own (disabled) GlobalOpenTelemetryProvider, higher priority.
    register(provider);
    assertEquals(provider, TelemetryRegistry.getDefaultRegistry().lookup(provider.name()));
    unaryCalls(CALLS);

    List<SpanData> spans = otel.awaitSpans(3 * CALLS);
    String method = "switchboard.test.Echo.Unary";
    Map<String, List<SpanData>> byTrace =
        spans.stream().collect(Collectors.groupingBy(SpanData::getTraceId));
    assertEquals(OtelRecorder.names(spans).toString(), CALLS, byTrace.size());
    for (List<SpanData> trace : byTrace.values()) {
      SpanData sent = one(trace, "Sent." + method);
      SpanData attempt = one(trace, "Attempt." + method);
      SpanData recv = one(trace, "Recv." + method);
      assertEquals(sent.getSpanId(), attempt.getParentSpanId());
      assertEquals("propagated in the headers", attempt.getSpanId(), recv.getParentSpanId());
      assertTrue(recv.getParentSpanContext().isRemote());
      assertEquals(SpanKind.SERVER, recv.getKind());
    }
    assertEquals(CALLS, otel.total("grpc.client.attempt.started"));
    assertEquals(CALLS, otel.total("grpc.server.call.started"));

    registration.unregister();
    registration = null;
    awaitTracerFactories(0);
    unaryCalls(CALLS);
    assertEquals(3 * CALLS, otel.spans().size());
    assertEquals(CALLS, otel.total("grpc.client.attempt.started"));
    assertEquals(CALLS, otel.total("grpc.server.call.started"));
  }

  private void register(TelemetryProvider provider) throws InterruptedException {
    Hashtable<String, Object> props = new Hashtable<>();
    props.put(TelemetryProvider.NAME_PROPERTY, provider.name());
    registration = ctx.registerService(TelemetryProvider.class, provider, props);
    awaitTracerFactories(1);
  }

  /**
   * Waits until the default registry's channels and servers get {@code count} tracer factories each
   * (the bundle's GlobalOpenTelemetryProvider is off, so counts only what this test registered),
   * woken by the registry's listener, which runs after its lists were rebuilt.
   */
  private static void awaitTracerFactories(int count) throws InterruptedException {
    TelemetryRegistry registry = TelemetryRegistry.getDefaultRegistry();
    Semaphore changed = new Semaphore(0);
    dev.switchboard.api.spi.ProviderRegistry.Listener listener = names -> changed.release();
    registry.addListener(listener);
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(InFramework.TIMEOUT_MS);
      while (registry.clientCallTracerFactories().size() != count
          || registry.serverCallTracerFactories().size() != count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "timed out waiting for " + count + " tracer factories: " + registry.providers());
        }
        changed.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
      }
    } finally {
      registry.removeListener(listener);
    }
  }

  /** {@code count} unary calls, one after the other; each must succeed. */
  private void unaryCalls(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      assertEquals(
          "call " + i,
          Loopback.unary(conn, EchoService.UNARY, str("call " + i), DEADLINE).getValue());
    }
  }

  private static <T> List<T> drain(java.util.concurrent.BlockingQueue<T> queue) {
    List<T> out = new ArrayList<>();
    queue.drainTo(out);
    return out;
  }

  private static <T> long count(List<T> calls, Function<T, String> method, String name) {
    return calls.stream().filter(c -> method.apply(c).equals(name)).count();
  }

  private static SpanData one(List<SpanData> trace, String name) {
    List<SpanData> named = trace.stream().filter(s -> s.getName().equals(name)).toList();
    assertEquals(OtelRecorder.names(trace).toString(), 1, named.size());
    return named.get(0);
  }

  /**
   * Server-streaming calls one after the other on a thread of its own until closed, each asking for
   * 2 messages; closing stops it and asserts that every call succeeded.
   */
  private static final class Background implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Semaphore done = new Semaphore(0);
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    Background(ClientConn conn) {
      thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    RecordingListener<StringValue> l =
                        Loopback.call(
                            conn, EchoService.SERVER_STREAM, DEADLINE, new Metadata(), str("2"));
                    Status s = l.awaitClose();
                    if (!s.isOk() || l.messages.size() != 2) {
                      failures.add(s + " " + l.messages);
                    }
                  } catch (Exception e) {
                    failures.add(e.toString());
                    return;
                  }
                  done.release();
                }
              },
              "background-calls");
      thread.start();
    }

    /** Waits for {@code calls} more calls to complete. */
    void await(int calls) throws InterruptedException {
      done.drainPermits();
      assertTrue(
          "background calls stalled: " + failures, done.tryAcquire(calls, 10, TimeUnit.SECONDS));
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse("background calls still running", thread.isAlive());
      assertEquals(List.of(), failures);
    }
  }
}
