package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.BindableService;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.Status;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.osgi.server.WhiteboardConstants;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The gRPC whiteboard in Felix, over real sockets: a server from a Configuration Admin
 * configuration binds a {@code BindableService} the moment it is registered with the marker
 * property, and unbinds it when it is unregistered while client threads keep calling: calls in
 * flight (a bidi stream) finish OK, calls started after the unregistration get UNIMPLEMENTED, calls
 * after a new registration succeed, and no call fails in any other way. A service without the
 * marker is not bound. Server interceptors registered as services apply in {@code service.ranking}
 * order (highest first), follow ranking changes and leave, with no failed call among those running
 * meanwhile; one that refuses calls changes what clients see until it is unregistered.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class ServiceWhiteboardIT {
  private static final int THREADS = 3;
  private static final int CYCLES = 5;
  private static final String UNKNOWN = "unknown service " + EchoService.SERVICE;
  private static final String TRACE = "x-trace";

  @Inject private BundleContext ctx;

  private org.osgi.service.cm.Configuration config;
  private Server server;
  private ClientConn conn;

  /** One client call: when it started and ended (nanoTime) and its status. */
  private record Outcome(long start, long end, Status status) {}

  /** A stretch of time during which the service was certainly bound, or certainly not. */
  private record Phase(long from, long to, boolean bound) {}

  private final Semaphore succeeded = new Semaphore(0);
  private final Semaphore refused = new Semaphore(0);
  private volatile boolean stop;

  @Configuration
  public Option[] config() {
    return ConfiguredServers.options();
  }

  @Before
  public void startServer() throws Exception {
    config =
        ConfiguredServers.create(
            ctx, "whiteboard-it", Map.of("host", "127.0.0.1", "port", 0, "executor", "default"));
    ServiceReference<Server> ref = ConfiguredServers.awaitServer(ctx, config.getPid(), "");
    server = ctx.getService(ref);
    conn =
        ClientConns.newClient(
            "127.0.0.1:" + ConfiguredServers.port(ref), Loopback.insecure().build());
  }

  @After
  public void deleteServer() throws Exception {
    stop = true;
    if (conn != null) {
      conn.close();
    }
    config.delete();
    assertTrue("the server shut down", ConfiguredServers.terminated(server));
  }

  @Test
  public void serviceComesAndGoesUnderLoad() throws Exception {
    List<Phase> phases = new ArrayList<>();
    List<String> problems = new ArrayList<>(); // found on this thread, asserted at the end
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    ServiceRegistration<BindableService> reg =
        ConfiguredServers.register(ctx, new EchoService("v0")::definition);
    long boundSince = System.nanoTime();
    try {
      assertEquals("bound as it was registered", "v0", InFramework.callId(conn));
      List<Future<List<Outcome>>> load = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        load.add(pool.submit(this::callUntilStopped));
      }
      for (int cycle = 1; cycle <= CYCLES && problems.isEmpty(); cycle++) {
        awaitPermits(succeeded, 2 * THREADS, "calls succeeding while registered", problems);

        RecordingListener<StringValue> inFlight = new RecordingListener<>();
        ClientStream<StringValue, StringValue> stream =
            conn.newStream(EchoService.BIDI, deadline());
        stream.start(inFlight, new Metadata());
        stream.request(Integer.MAX_VALUE);
        stream.sendMessage(str("before"));
        expect("before", inFlight.next().getValue(), problems);

        phases.add(new Phase(boundSince, System.nanoTime(), true));
        reg.unregister();
        long unboundSince = System.nanoTime();

        Status afterRemoval = unary("after removal").status();
        expect(Status.Code.UNIMPLEMENTED, afterRemoval.getCode(), problems);
        expect(UNKNOWN, afterRemoval.getDescription(), problems);
        if (cycle == 1) {
          // Not marked for the whiteboard: not bound.
          ServiceRegistration<BindableService> unmarked =
              ctx.registerService(
                  BindableService.class,
                  new EchoService("unmarked")::definition,
                  new Hashtable<>());
          expect(Status.Code.UNIMPLEMENTED, unary("unmarked").status().getCode(), problems);
          unmarked.unregister();
        }

        stream.sendMessage(str("after"));
        expect("after", inFlight.next().getValue(), problems);
        stream.halfClose();
        expect(Status.OK, inFlight.awaitClose(), problems);

        awaitPermits(refused, THREADS, "calls refused while unregistered", problems);

        long adding = System.nanoTime();
        phases.add(new Phase(unboundSince, adding, false));
        reg = ConfiguredServers.register(ctx, new EchoService("v" + cycle)::definition);
        boundSince = System.nanoTime();
        expect("v" + cycle, InFramework.callId(conn), problems);
      }
      awaitPermits(succeeded, 2 * THREADS, "calls succeeding at the end", problems);
      phases.add(new Phase(boundSince, System.nanoTime(), true));
      stop = true;
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<List<Outcome>> f : load) {
        outcomes.addAll(f.get(60, TimeUnit.SECONDS));
      }
      int[] counts = check(outcomes, phases, problems);
      assertNoProblems(problems);
      assertTrue("calls OK: " + counts[0], counts[0] >= CYCLES);
      assertTrue("calls UNIMPLEMENTED: " + counts[1], counts[1] >= CYCLES);
      assertEquals("every call OK or UNIMPLEMENTED", outcomes.size(), counts[0] + counts[1]);
    } finally {
      stop = true;
      pool.shutdownNow();
      reg.unregister();
    }
  }

  @Test
  public void interceptorsApplyByRankingAndChangeWithoutFailedCalls() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    ServiceRegistration<BindableService> echo =
        ConfiguredServers.register(ctx, new EchoService("echo")::definition);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<ServiceRegistration<ServerInterceptor>> regs = new ArrayList<>();
    try {
      List<Future<List<Outcome>>> load = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        load.add(pool.submit(this::callUntilStopped));
      }
      List<String> problems = new ArrayList<>();
      awaitPermits(succeeded, THREADS, "calls before any interceptor", problems);
      assertEquals(List.of(), traced(seen));

      ServiceRegistration<ServerInterceptor> a = registerInterceptor(recording("A", seen), 1);
      regs.add(a);
      assertEquals(List.of("A"), traced(seen));
      ServiceRegistration<ServerInterceptor> b = registerInterceptor(recording("B", seen), 10);
      regs.add(b);
      assertEquals("higher ranking first", List.of("B", "A"), traced(seen));
      a.setProperties(interceptorProperties(20));
      assertEquals("ranking changed", List.of("A", "B"), traced(seen));
      awaitPermits(succeeded, THREADS, "calls while intercepted", problems);
      b.unregister();
      regs.remove(b);
      assertEquals(List.of("A"), traced(seen));
      a.unregister();
      regs.remove(a);
      assertEquals(List.of(), traced(seen));
      awaitPermits(succeeded, THREADS, "calls after the interceptors left", problems);
      assertNoProblems(problems);

      stop = true;
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<List<Outcome>> f : load) {
        outcomes.addAll(f.get(60, TimeUnit.SECONDS));
      }
      List<Status> failed = outcomes.stream().map(Outcome::status).filter(s -> !s.isOk()).toList();
      assertEquals("no call failed while interceptors changed", List.of(), failed);
      assertTrue("calls made: " + outcomes.size(), outcomes.size() >= 3 * THREADS);

      ServiceRegistration<ServerInterceptor> deny = registerInterceptor(denying(), 0);
      regs.add(deny);
      Status denied = unary("x").status();
      assertEquals(denied.toString(), Status.Code.PERMISSION_DENIED, denied.getCode());
      assertEquals("denied by the whiteboard interceptor", denied.getDescription());
      deny.unregister();
      regs.remove(deny);
      assertEquals(Status.OK, unary("x").status());
    } finally {
      stop = true;
      pool.shutdownNow();
      for (ServiceRegistration<ServerInterceptor> r : regs) {
        r.unregister();
      }
      echo.unregister();
    }
  }

  private ServiceRegistration<ServerInterceptor> registerInterceptor(
      ServerInterceptor interceptor, int ranking) {
    return ctx.registerService(
        ServerInterceptor.class, interceptor, interceptorProperties(ranking));
  }

  private static Hashtable<String, Object> interceptorProperties(int ranking) {
    Hashtable<String, Object> props = new Hashtable<>();
    props.put(WhiteboardConstants.WHITEBOARD_PROPERTY, "true");
    props.put(Constants.SERVICE_RANKING, ranking);
    return props;
  }

  /** Records its name for calls carrying the {@value #TRACE} header. */
  private static ServerInterceptor recording(String name, BlockingQueue<String> seen) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        if (headers.get(TRACE) != null) {
          seen.add(name);
        }
        return next.startCall(call, headers);
      }
    };
  }

  private static ServerInterceptor denying() {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        call.close(
            Status.PERMISSION_DENIED.withDescription("denied by the whiteboard interceptor"),
            new Metadata());
        return new ServerCallListener<>() {};
      }
    };
  }

  /** One traced call (which must succeed); the interceptors it passed, outermost first. */
  private List<String> traced(BlockingQueue<String> seen) throws Exception {
    seen.clear();
    Metadata headers = new Metadata();
    headers.put(TRACE, "1");
    Status s =
        Loopback.call(conn, EchoService.UNARY, deadline(), headers, str("traced")).awaitClose();
    assertEquals(Status.OK, s);
    return List.copyOf(seen);
  }

  private List<Outcome> callUntilStopped() throws Exception {
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; !stop; i++) {
      long start = System.nanoTime();
      Unary u = unary("x" + i);
      Status s = u.status();
      if (s.isOk() && !("x" + i).equals(u.response())) {
        s = Status.INTERNAL.withDescription("wrong echo " + u.response());
      }
      outcomes.add(new Outcome(start, u.end(), s));
      (s.isOk() ? succeeded : refused).release();
    }
    return outcomes;
  }

  /**
   * Counts OK and UNIMPLEMENTED calls; anything else, or a call against its phase, is a problem.
   */
  private static int[] check(List<Outcome> outcomes, List<Phase> phases, List<String> problems) {
    int ok = 0;
    int unimplemented = 0;
    for (Outcome o : outcomes) {
      Status s = o.status();
      if (s.isOk()) {
        ok++;
      } else if (s.getCode() == Status.Code.UNIMPLEMENTED && UNKNOWN.equals(s.getDescription())) {
        unimplemented++;
      } else {
        problems.add("unexpected status " + s);
        continue;
      }
      for (Phase p : phases) {
        if (o.start() >= p.from() && o.end() <= p.to() && s.isOk() != p.bound()) {
          problems.add((p.bound() ? "refused while bound: " : "served while unbound: ") + o);
        }
      }
    }
    return new int[] {ok, unimplemented};
  }

  /** A unary call's outcome, with the response text (null if none). */
  private record Unary(long end, Status status, String response) {}

  private Unary unary(String text) throws Exception {
    RecordingListener<StringValue> l =
        Loopback.call(conn, EchoService.UNARY, deadline(), new Metadata(), str(text));
    Status s = l.awaitClose();
    return new Unary(
        System.nanoTime(), s, l.messages.isEmpty() ? null : l.messages.get(0).getValue());
  }

  private static CallOptions deadline() {
    return CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static void awaitPermits(Semaphore s, int n, String what, List<String> problems)
      throws InterruptedException {
    s.drainPermits();
    if (!s.tryAcquire(n, 20, TimeUnit.SECONDS)) {
      problems.add("timed out waiting for " + n + " " + what);
    }
  }

  /** Fails showing how many problems there were and the first few. */
  private static void assertNoProblems(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new AssertionError(
          problems.size()
              + " problems, first: "
              + problems.subList(0, Math.min(10, problems.size())));
    }
  }

  private static void expect(Object expected, Object actual, List<String> problems) {
    if (!expected.equals(actual)) {
      problems.add("expected " + expected + ", got " + actual);
    }
  }
}
