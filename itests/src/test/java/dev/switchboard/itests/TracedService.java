package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;

import com.google.protobuf.StringValue;
import dev.switchboard.api.Context;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import java.util.concurrent.atomic.AtomicInteger;

/** The service {@link TelemetryEndToEndTest} traces, and the service config its channels use. */
final class TracedService {
  static final String NAME = "switchboard.test.Traced";
  static final MethodDescriptor<StringValue, StringValue> UNARY =
      MethodDescriptor.of(NAME + "/Unary", MethodType.UNARY, StringValue.class, StringValue.class);
  static final MethodDescriptor<StringValue, StringValue> STREAM =
      MethodDescriptor.of(
          NAME + "/Stream", MethodType.SERVER_STREAMING, StringValue.class, StringValue.class);
  static final MethodDescriptor<StringValue, StringValue> MISSING =
      MethodDescriptor.of(
          NAME + "/Missing", MethodType.UNARY, StringValue.class, StringValue.class);
  static final MethodDescriptor<StringValue, StringValue> HEDGED =
      MethodDescriptor.of(NAME + "/Hedged", MethodType.UNARY, StringValue.class, StringValue.class);
  static final String RETRY_CONFIG =
      "{\"methodConfig\": [{\"name\": [{\"service\": \""
          + NAME
          + "\"}],"
          + " \"retryPolicy\": {\"maxAttempts\": 4, \"initialBackoff\": \"0.01s\","
          + " \"maxBackoff\": \"0.05s\", \"backoffMultiplier\": 2,"
          + " \"retryableStatusCodes\": [\"UNAVAILABLE\"]}},"
          + " {\"name\": [{\"service\": \""
          + NAME
          + "\", \"method\": \"Hedged\"}],"
          + " \"hedgingPolicy\": {\"maxAttempts\": 2, \"hedgingDelay\": \"0.05s\"}}]}";

  /**
   * The service. Unary: "fail N" fails the first N attempts with UNAVAILABLE; "code C" closes with
   * code C after sending headers; "header" answers the request's x-traced header; "context" the
   * value the tracer put in the context; else echoes. Hedged: the first attempt (x-traced
   * attempt-0) never answers, later ones echo. Stream: "N" sends N messages.
   */
  static ServiceDefinition definition(AtomicInteger attempts) {
    return ServiceDefinition.newBuilder(NAME)
        .addMethod(
            UNARY,
            (call, headers) -> {
              call.request(1);
              int attempt = attempts.incrementAndGet();
              return new ServerCallListener<StringValue>() {
                @Override
                public void onMessage(StringValue req) {
                  String[] parts = req.getValue().split(" ");
                  switch (parts[0]) {
                    case "fail" -> {
                      if (attempt <= Integer.parseInt(parts[1])) {
                        call.close(Status.UNAVAILABLE.withDescription("try again"), new Metadata());
                        return;
                      }
                      reply(req.getValue());
                    }
                    case "code" -> {
                      call.sendHeaders(new Metadata());
                      call.close(Status.fromCodeValue(Integer.parseInt(parts[1])), new Metadata());
                    }
                    case "header" -> reply(String.valueOf(headers.get("x-traced")));
                    case "context" ->
                        reply(String.valueOf(Context.current().get(RecordingTelemetry.VALUE)));
                    default -> reply(req.getValue());
                  }
                }

                private void reply(String text) {
                  call.sendHeaders(new Metadata());
                  call.sendMessage(str(text));
                  call.close(Status.OK, new Metadata());
                }
              };
            })
        .addMethod(
            HEDGED,
            (call, headers) -> {
              call.request(1);
              boolean first = "attempt-0".equals(headers.get("x-traced"));
              return new ServerCallListener<StringValue>() {
                @Override
                public void onMessage(StringValue req) {
                  if (first) {
                    return; // the first attempt hangs until the hedge wins and it is cancelled
                  }
                  call.sendHeaders(new Metadata());
                  call.sendMessage(req);
                  call.close(Status.OK, new Metadata());
                }
              };
            })
        .addMethod(
            STREAM,
            (call, headers) -> {
              call.request(1);
              return new ServerCallListener<StringValue>() {
                @Override
                public void onMessage(StringValue req) {
                  for (int i = 0; i < Integer.parseInt(req.getValue()); i++) {
                    call.sendMessage(str("m" + i));
                  }
                  call.close(Status.OK, new Metadata());
                }
              };
            })
        .build();
  }

  private TracedService() {}
}
