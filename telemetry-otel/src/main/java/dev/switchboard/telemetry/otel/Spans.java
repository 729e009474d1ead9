package dev.switchboard.telemetry.otel;

import dev.switchboard.api.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/** The gRFC A72 span vocabulary shared by the client and server tracers. */
final class Spans {
  static final AttributeKey<Long> SEQUENCE_NUMBER = AttributeKey.longKey("sequence-number");
  static final AttributeKey<Long> MESSAGE_SIZE = AttributeKey.longKey("message-size");
  static final AttributeKey<Long> MESSAGE_SIZE_COMPRESSED =
      AttributeKey.longKey("message-size-compressed");
  static final AttributeKey<Long> PREVIOUS_RPC_ATTEMPTS =
      AttributeKey.longKey("previous-rpc-attempts");
  static final AttributeKey<Boolean> TRANSPARENT_RETRY =
      AttributeKey.booleanKey("transparent-retry");

  static final String OUTBOUND_MESSAGE = "Outbound message";
  static final String INBOUND_MESSAGE = "Inbound message";

  private Spans() {}

  /** {@code Sent.pkg.Service.Method} and the like: A72 names spans with dots only. */
  static String name(String prefix, String fullMethodName) {
    return prefix + "." + fullMethodName.replace('/', '.');
  }

  /**
   * Adds a message event: {@code message-size} is the uncompressed size when the message was
   * compressed (then {@code message-size-compressed} is its wire size), else the wire size.
   */
  static void message(Span span, String event, int seqNo, long wireSize, long uncompressedSize) {
    AttributesBuilder a = Attributes.builder().put(SEQUENCE_NUMBER, (long) seqNo);
    if (uncompressedSize >= 0 && uncompressedSize != wireSize) {
      a.put(MESSAGE_SIZE, uncompressedSize).put(MESSAGE_SIZE_COMPRESSED, wireSize);
    } else {
      a.put(MESSAGE_SIZE, wireSize);
    }
    span.addEvent(event, a.build());
  }

  /**
   * Sets the span's status from the call's (OK, or ERROR described "CODE, description") and ends
   * it.
   */
  static void end(Span span, Status status) {
    if (status.isOk()) {
      span.setStatus(StatusCode.OK);
    } else {
      String d = status.getDescription();
      span.setStatus(
          StatusCode.ERROR,
          d == null ? status.getCode().name() : status.getCode().name() + ", " + d);
    }
    span.end();
  }
}
