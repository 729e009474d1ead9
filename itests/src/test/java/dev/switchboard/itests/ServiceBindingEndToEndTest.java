package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.server.Servers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Binding and unbinding a service on a running server over 127.0.0.1 while client threads call it:
 * a streaming call in flight on the service when it is removed finishes OK, calls started after the
 * removal get UNIMPLEMENTED, calls started after it is bound again succeed, and no call fails in
 * any other way. Each call records when it started and ended, so the check is strict: a call that
 * ran entirely while the service was bound must succeed, one that ran entirely while it was not
 * must get UNIMPLEMENTED; only calls straddling a change may go either way.
 */
class ServiceBindingEndToEndTest {
  private static final int THREADS = 4;
  private static final int CYCLES = 20;
  private static final String UNKNOWN = "unknown service " + EchoService.SERVICE;

  /** One client call: when it started and ended (nanoTime), its status, and whether it echoed. */
  private record Outcome(long start, long end, Status status, boolean echoed) {}

  /** A stretch of time during which the service was certainly bound, or certainly not. */
  private record Phase(long from, long to, boolean bound) {}

  private final Semaphore succeeded = new Semaphore(0);
  private final Semaphore refused = new Semaphore(0);
  private volatile boolean stop;

  @Test
  void serviceComesAndGoesUnderLoad() throws Exception {
    Server server =
        Servers.newServer(ServerOptions.newBuilder().insecure().listen("127.0.0.1", 0).build())
            .start();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Phase> phases = new ArrayList<>();
    List<String> problems = new ArrayList<>(); // found on the test thread, asserted at the end
    try (ClientConn conn =
        ClientConns.newClient(Loopback.target(server), Loopback.insecure().build())) {
      ServiceDefinition bound = new EchoService("v0").definition();
      server.addService(bound);
      long boundSince = System.nanoTime();

      List<Future<List<Outcome>>> load = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        boolean streaming = t % 2 == 1;
        load.add(pool.submit(() -> callUntilStopped(conn, streaming)));
      }

      for (int cycle = 1; cycle <= CYCLES && problems.isEmpty(); cycle++) {
        awaitPermits(succeeded, 2 * THREADS, "calls succeeding while bound", problems);

        // A bidi call in flight: its handler has started (it echoed one message).
        RecordingListener<StringValue> inFlight = new RecordingListener<>();
        ClientStream<StringValue, StringValue> stream =
            conn.newStream(EchoService.BIDI, deadline());
        stream.start(inFlight, new Metadata());
        stream.request(Integer.MAX_VALUE);
        stream.sendMessage(str("before"));
        expect("before", inFlight.next().getValue(), problems);

        long removing = System.nanoTime();
        phases.add(new Phase(boundSince, removing, true));
        ServiceDefinition removed = server.removeService(EchoService.SERVICE);
        long unboundSince = System.nanoTime();
        if (removed != bound) {
          problems.add("cycle " + cycle + ": removeService returned " + removed);
        }

        Status afterRemoval = unary(conn, "after removal").status;
        expect(Status.Code.UNIMPLEMENTED, afterRemoval.getCode(), problems);
        expect(UNKNOWN, afterRemoval.getDescription(), problems);

        stream.sendMessage(str("after"));
        expect("after", inFlight.next().getValue(), problems);
        stream.halfClose();
        expect(Status.OK, inFlight.awaitClose(), problems);
        expect(List.of(str("before"), str("after")), inFlight.messages, problems);

        awaitPermits(refused, THREADS, "calls refused while unbound", problems);

        bound = new EchoService("v" + cycle).definition();
        long adding = System.nanoTime();
        phases.add(new Phase(unboundSince, adding, false));
        server.addService(bound);
        boundSince = System.nanoTime();
        expect("v" + cycle, unary(conn, "id").response, problems);
      }
      awaitPermits(succeeded, 2 * THREADS, "calls succeeding at the end", problems);
      phases.add(new Phase(boundSince, System.nanoTime(), true));
      stop = true;

      List<Outcome> outcomes = new ArrayList<>();
      for (Future<List<Outcome>> f : load) {
        outcomes.addAll(f.get(60, TimeUnit.SECONDS));
      }
      check(outcomes, phases, problems);
      assertEquals(List.of(bound), server.services());
    } finally {
      stop = true;
      pool.shutdownNow();
      server.shutdownNow();
    }
    assertEquals(List.of(), problems);
    assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
  }

  /** Every call OK (and echoed) or UNIMPLEMENTED as the phase it ran in says; both kinds seen. */
  private static void check(List<Outcome> outcomes, List<Phase> phases, List<String> problems) {
    int ok = 0;
    int unimplemented = 0;
    for (Outcome o : outcomes) {
      Status s = o.status;
      if (s.isOk()) {
        ok++;
        if (!o.echoed) {
          problems.add("OK without the expected responses");
        }
      } else if (s.getCode() == Status.Code.UNIMPLEMENTED && UNKNOWN.equals(s.getDescription())) {
        unimplemented++;
      } else {
        problems.add("unexpected status " + s);
        continue;
      }
      for (Phase p : phases) {
        if (o.start >= p.from && o.end <= p.to && s.isOk() != p.bound) {
          problems.add(
              (p.bound ? "refused while bound: " : "served while unbound: ") + s + " " + o);
        }
      }
    }
    if (ok < CYCLES || unimplemented < CYCLES) {
      problems.add("too few calls of a kind: " + ok + " OK, " + unimplemented + " UNIMPLEMENTED");
    }
  }

  private List<Outcome> callUntilStopped(ClientConn conn, boolean streaming) throws Exception {
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; !stop; i++) {
      long start = System.nanoTime();
      Outcome o;
      if (streaming) {
        RecordingListener<StringValue> l =
            Loopback.call(conn, EchoService.SERVER_STREAM, deadline(), new Metadata(), str("5"));
        Status s = l.awaitClose();
        List<String> got = l.messages.stream().map(StringValue::getValue).toList();
        o = new Outcome(start, System.nanoTime(), s, got.equals(List.of("0", "1", "2", "3", "4")));
      } else {
        String text = "x" + i;
        Unary u = unary(conn, text);
        o = new Outcome(start, u.end, u.status, text.equals(u.response));
      }
      outcomes.add(o);
      (o.status.isOk() ? succeeded : refused).release();
    }
    return outcomes;
  }

  /** A unary call's outcome, with the response text (null if none). */
  private record Unary(long end, Status status, String response) {}

  private static Unary unary(ClientConn conn, String text) throws Exception {
    RecordingListener<StringValue> l =
        Loopback.call(conn, EchoService.UNARY, deadline(), new Metadata(), str(text));
    Status s = l.awaitClose();
    long end = System.nanoTime();
    return new Unary(end, s, l.messages.isEmpty() ? null : l.messages.get(0).getValue());
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

  private static void expect(Object expected, Object actual, List<String> problems) {
    if (!expected.equals(actual)) {
      problems.add("expected " + expected + ", got " + actual);
    }
  }
}
