package dev.switchboard.telemetry.otel;

import static dev.switchboard.telemetry.otel.OtelFixture.counter;
import static dev.switchboard.telemetry.otel.OtelFixture.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.stub.ClientCalls;
import dev.switchboard.api.stub.ServerCalls;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.server.Servers;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A greeter over the netty transport on 127.0.0.1, the provider given to the channel and to the
 * server (installed providers left out): metrics on both sides and one trace across them.
 */
class TelemetryLoopbackTest {
  private static final MethodDescriptor<String, String> SAY_HELLO =
      OtelFixture.method("helloworld.Greeter/SayHello", MethodType.UNARY, true);

  /** Counts the spans the SDK exports (it exports each when it ends). */
  static final class Ended implements SpanExporter {
    final CountDownLatch three = new CountDownLatch(3);

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      spans.forEach(s -> three.countDown());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void unaryCallIsMeasuredOnBothSidesAndTracedAsOneTrace() throws Exception {
    Ended ended = new Ended();
    try (OtelFixture f = new OtelFixture(ended, b -> b)) {
      Server server = null;
      ClientConn conn = null;
      try {
        ServiceDefinition greeter =
            ServiceDefinition.newBuilder("helloworld.Greeter")
                .addMethod(
                    SAY_HELLO,
                    ServerCalls.asyncUnaryCall(
                        (String name, StreamObserver<String> out) -> {
                          out.onNext("Hello " + name);
                          out.onCompleted();
                        }))
                .build();
        server =
            Servers.newServer(
                    ServerOptions.newBuilder()
                        .insecure()
                        .listen("127.0.0.1", 0)
                        .addService(greeter)
                        .addTelemetry(f.provider)
                        .installedTelemetry(false)
                        .build())
                .start();
        conn =
            ClientConns.newClient(
                "127.0.0.1:" + server.port(),
                DialOptions.newBuilder()
                    .insecure()
                    .addTelemetry(f.provider)
                    .installedTelemetry(false)
                    .build());
        assertEquals(
            "Hello world",
            ClientCalls.blockingUnaryCall(conn, SAY_HELLO, CallOptions.DEFAULT, "world"));
        assertTrue(ended.three.await(10, TimeUnit.SECONDS), "three spans ended");

        SpanData sent = f.span("Sent.helloworld.Greeter.SayHello");
        SpanData attempt = f.span("Attempt.helloworld.Greeter.SayHello");
        SpanData recv = f.span("Recv.helloworld.Greeter.SayHello");
        assertEquals(sent.getTraceId(), recv.getTraceId());
        assertEquals(sent.getSpanId(), attempt.getParentSpanId());
        assertEquals(attempt.getSpanId(), recv.getParentSpanId());

        Collection<MetricData> all = f.collect();
        String method = SAY_HELLO.getFullMethodName();
        String target = SwitchboardOpenTelemetry.defaultScheme() + ":///127.0.0.1:" + server.port();
        assertEquals(
            1,
            counter(
                all,
                "grpc.client.attempt.started",
                Attributes.of(Instruments.METHOD, method, Instruments.TARGET, target)));
        Attributes clientOk =
            Attributes.of(
                Instruments.METHOD, method, Instruments.TARGET, target, Instruments.STATUS, "OK");
        assertEquals(1, histogram(all, "grpc.client.call.duration", clientOk).getCount());
        assertEquals(
            "world".length(),
            histogram(all, "grpc.client.attempt.sent_total_compressed_message_size", clientOk)
                .getSum());
        assertEquals(
            "Hello world".length(),
            histogram(all, "grpc.client.attempt.rcvd_total_compressed_message_size", clientOk)
                .getSum());
        assertEquals(
            1, counter(all, "grpc.server.call.started", Attributes.of(Instruments.METHOD, method)));
        assertEquals(
            1,
            histogram(
                    all,
                    "grpc.server.call.duration",
                    Attributes.of(Instruments.METHOD, method, Instruments.STATUS, "OK"))
                .getCount());
      } finally {
        if (conn != null) {
          conn.close();
        }
        if (server != null) {
          server.shutdownNow();
          server.awaitTermination(10, TimeUnit.SECONDS);
        }
      }
    }
  }
}
