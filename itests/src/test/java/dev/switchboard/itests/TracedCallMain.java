package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import dev.switchboard.clientconn.ClientConns;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The program ModulePathIT runs in a child JVM, on the module path and on the class path, with
 * {@code -Dswitchboard.otel.global=true}: it makes {@link OtelRecorder}'s SDK the global
 * OpenTelemetry, so the installed provider of telemetry-otel (found by the service loader, never
 * named here) traces a unary call to a server of its own over 127.0.0.1. It prints the spans and
 * exits 0 only when the call was traced end to end: client call and attempt spans, the server span
 * continuing the attempt's trace from the headers, one attempt and one server call counted.
 */
public final class TracedCallMain {
  private TracedCallMain() {}

  public static void main(String[] args) throws Exception {
    OtelRecorder otel = new OtelRecorder();
    GlobalOpenTelemetry.set(otel.sdk);
    Server server = Loopback.start(new EchoService("traced"));
    ClientConn conn = ClientConns.newClient(Loopback.target(server), Loopback.insecure().build());
    try {
      String answer =
          Loopback.unary(
                  conn,
                  EchoService.UNARY,
                  str("over OpenTelemetry"),
                  CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS))
              .getValue();
      check("over OpenTelemetry".equals(answer), "answer: " + answer);

      List<SpanData> spans = otel.awaitSpans(3);
      for (SpanData s : spans) {
        System.out.println("span: " + s.getName() + " " + s.getKind() + " trace " + s.getTraceId());
      }
      String method = "switchboard.test.Echo.Unary";
      SpanData sent = one(spans, "Sent." + method);
      SpanData attempt = one(spans, "Attempt." + method);
      SpanData recv = one(spans, "Recv." + method);
      check(sent.getSpanId().equals(attempt.getParentSpanId()), "attempt under the call span");
      check(
          attempt.getSpanId().equals(recv.getParentSpanId())
              && recv.getParentSpanContext().isRemote(),
          "server span continues the attempt's trace from the headers");
      long attempts = otel.total("grpc.client.attempt.started");
      long calls = otel.total("grpc.server.call.started");
      check(
          attempts == 1 && calls == 1,
          "counted: " + attempts + " attempt(s), " + calls + " call(s)");
      System.out.println(
          "traced end to end by "
              + module(dev.switchboard.telemetry.otel.SwitchboardOpenTelemetry.class)
              + " over "
              + module(io.opentelemetry.sdk.OpenTelemetrySdk.class));
    } finally {
      conn.close();
      conn.awaitTermination(10, TimeUnit.SECONDS);
      server.shutdownNow();
      server.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** {@code "module <name>"} or {@code "the class path"}, where {@code c} was loaded from. */
  private static String module(Class<?> c) {
    return c.getModule().isNamed() ? "module " + c.getModule().getName() : "the class path";
  }

  private static SpanData one(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    check(named.size() == 1, "one " + name + " in " + OtelRecorder.names(spans));
    return named.get(0);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }
}
