package dev.switchboard.telemetry.otel;

import static dev.switchboard.telemetry.otel.OtelFixture.call;
import static dev.switchboard.telemetry.otel.OtelFixture.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Context;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.telemetry.ServerCallInfo;
import dev.switchboard.api.telemetry.ServerCallTracer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingTest {
  private static final String SAY_HELLO = "helloworld.Greeter/SayHello";

  private final OtelFixture f = new OtelFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void clientCallAndAttemptSpansCarryA72NamesAttributesAndMessageEvents() {
    ClientCallTracer call =
        f.provider
            .clientCallTracers()
            .newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
    ClientAttemptTracer attempt = call.newAttempt(0, false);
    attempt.outboundMessage(0, 5493, 7854);
    attempt.inboundMessage(0, 42, 42);
    attempt.attemptEnded(Status.OK);
    call.callEnded(Status.OK);

    SpanData sent = f.span("Sent.helloworld.Greeter.SayHello");
    SpanData attemptSpan = f.span("Attempt.helloworld.Greeter.SayHello");
    assertEquals(sent.getTraceId(), attemptSpan.getTraceId());
    assertEquals(sent.getSpanId(), attemptSpan.getParentSpanId());
    assertFalse(sent.getParentSpanContext().isValid());
    assertEquals(SpanKind.CLIENT, attemptSpan.getKind());
    assertEquals(StatusCode.OK, sent.getStatus().getStatusCode());
    assertEquals(StatusCode.OK, attemptSpan.getStatus().getStatusCode());
    assertEquals(0L, attemptSpan.getAttributes().get(Spans.PREVIOUS_RPC_ATTEMPTS));
    assertEquals(false, attemptSpan.getAttributes().get(Spans.TRANSPARENT_RETRY));

    List<EventData> events = attemptSpan.getEvents();
    assertEquals(2, events.size());
    assertEquals("Outbound message", events.get(0).getName());
    assertEquals(
        Attributes.of(
            Spans.SEQUENCE_NUMBER,
            0L,
            Spans.MESSAGE_SIZE,
            7854L,
            Spans.MESSAGE_SIZE_COMPRESSED,
            5493L),
        events.get(0).getAttributes());
    assertEquals("Inbound message", events.get(1).getName());
    assertEquals(
        Attributes.of(Spans.SEQUENCE_NUMBER, 0L, Spans.MESSAGE_SIZE, 42L),
        events.get(1).getAttributes());
  }

  @Test
  void failedCallIsAnErrorDescribedByCodeAndDescription() {
    ClientCallTracer call =
        f.provider
            .clientCallTracers()
            .newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
    call.newAttempt(0, false).attemptEnded(Status.UNAVAILABLE.withDescription("no route"));
    call.callEnded(Status.UNAVAILABLE.withDescription("unable to resolve host"));
    SpanData sent = f.span("Sent.helloworld.Greeter.SayHello");
    assertEquals(StatusCode.ERROR, sent.getStatus().getStatusCode());
    assertEquals("UNAVAILABLE, unable to resolve host", sent.getStatus().getDescription());
    assertEquals(
        "UNAVAILABLE, no route",
        f.span("Attempt.helloworld.Greeter.SayHello").getStatus().getDescription());
  }

  @Test
  void retriesMakeOneAttemptSpanEachUnderTheCallSpan() {
    ClientCallTracer call =
        f.provider
            .clientCallTracers()
            .newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
    call.newAttempt(0, false).attemptEnded(Status.UNAVAILABLE);
    call.newAttempt(1, true).attemptEnded(Status.UNAVAILABLE);
    call.newAttempt(2, false).attemptEnded(Status.OK);
    call.callEnded(Status.OK);
    List<SpanData> attempts =
        f.spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().startsWith("Attempt."))
            .toList();
    assertEquals(3, attempts.size());
    String callSpanId = f.span("Sent.helloworld.Greeter.SayHello").getSpanId();
    attempts.forEach(a -> assertEquals(callSpanId, a.getParentSpanId()));
    // Transparent retries are not counted in previous-rpc-attempts.
    assertEquals(
        List.of(0L, 1L, 1L),
        attempts.stream().map(a -> a.getAttributes().get(Spans.PREVIOUS_RPC_ATTEMPTS)).toList());
    assertEquals(
        List.of(false, true, false),
        attempts.stream().map(a -> a.getAttributes().get(Spans.TRANSPARENT_RETRY)).toList());
  }

  @Test
  void traceparentCarriesTheTraceFromClientAttemptToServerSpan() {
    ClientCallTracer call =
        f.provider
            .clientCallTracers()
            .newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
    ClientAttemptTracer attempt = call.newAttempt(0, false);
    Metadata headers = new Metadata();
    attempt.outboundHeaders(headers);
    assertNotNull(headers.get("traceparent"), headers.toString());

    ServerCallTracer server =
        f.provider
            .serverCallTracers()
            .newCallTracer(new ServerCallInfo(SAY_HELLO, true, headers, "localhost"));
    server.filterContext(Context.ROOT);
    server.inboundMessage(0, 10, 10);
    server.outboundMessage(0, 20, 20);
    server.callEnded(Status.OK);
    attempt.attemptEnded(Status.OK);
    call.callEnded(Status.OK);

    SpanData recv = f.span("Recv.helloworld.Greeter.SayHello");
    SpanData attemptSpan = f.span("Attempt.helloworld.Greeter.SayHello");
    assertEquals(SpanKind.SERVER, recv.getKind());
    assertEquals(attemptSpan.getTraceId(), recv.getTraceId());
    assertEquals(attemptSpan.getSpanId(), recv.getParentSpanId());
    assertTrue(recv.getParentSpanContext().isRemote());
    assertEquals(
        List.of("Inbound message", "Outbound message"),
        recv.getEvents().stream().map(EventData::getName).toList());
  }

  @Test
  void clientCallInAHandlerIsAChildOfTheServerSpan() throws Exception {
    ServerCallTracer server =
        f.provider
            .serverCallTracers()
            .newCallTracer(new ServerCallInfo(SAY_HELLO, true, new Metadata(), null));
    Context handler = server.filterContext(Context.ROOT);
    assertSame(
        Span.fromContext(SwitchboardOpenTelemetry.otelContext(handler)),
        Span.fromContext(SwitchboardOpenTelemetry.otelContext(handler)));

    // The core calls the factory on the caller's thread with the handler's context current.
    ClientCallTracer nested =
        handler.call(
            () ->
                f.provider
                    .clientCallTracers()
                    .newCallTracer(call(method("backend.Store/Get", MethodType.UNARY, true))));
    nested.newAttempt(0, false).attemptEnded(Status.OK);
    nested.callEnded(Status.OK);
    server.callEnded(Status.OK);

    SpanData recv = f.span("Recv.helloworld.Greeter.SayHello");
    SpanData sent = f.span("Sent.backend.Store.Get");
    assertEquals(recv.getTraceId(), sent.getTraceId());
    assertEquals(recv.getSpanId(), sent.getParentSpanId());
  }

  @Test
  void withoutASwitchboardContextTheParentIsOpenTelemetrysCurrentSpan() {
    Span app = f.sdk.getTracer("app").spanBuilder("app-work").startSpan();
    ClientCallTracer call;
    try (Scope s = app.makeCurrent()) {
      call =
          f.provider
              .clientCallTracers()
              .newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
    }
    call.callEnded(Status.OK);
    app.end();
    SpanData sent = f.span("Sent.helloworld.Greeter.SayHello");
    assertEquals(app.getSpanContext().getSpanId(), sent.getParentSpanId());
  }

  @Test
  void unregisteredServerMethodsGetAGenericSpanName() {
    f.provider
        .serverCallTracers()
        .newCallTracer(new ServerCallInfo("attacker.Chosen/Name", false, new Metadata(), null))
        .callEnded(Status.UNIMPLEMENTED);
    SpanData recv = f.span("Recv.other");
    assertEquals(StatusCode.ERROR, recv.getStatus().getStatusCode());
  }

  @Test
  void tracingOffMeansNoSpansAndNoHeaders() {
    try (OtelFixture off = new OtelFixture(null, b -> b.tracing(false))) {
      ClientCallTracer call =
          off.provider
              .clientCallTracers()
              .newCallTracer(call(method(SAY_HELLO, MethodType.UNARY, true)));
      ClientAttemptTracer attempt = call.newAttempt(0, false);
      Metadata headers = new Metadata();
      attempt.outboundHeaders(headers);
      attempt.attemptEnded(Status.OK);
      call.callEnded(Status.OK);
      assertTrue(headers.isEmpty());
      assertTrue(off.spans.getFinishedSpanItems().isEmpty());
      assertFalse(off.collect().isEmpty());
    }
  }
}
