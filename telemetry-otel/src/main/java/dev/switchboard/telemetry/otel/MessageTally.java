package dev.switchboard.telemetry.otel;

import io.opentelemetry.api.trace.Span;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The messages of one attempt or server call: their compressed bytes summed each way (for the
 * {@code *_total_compressed_message_size} histograms) and, when traced, one span event each.
 * Outbound and inbound events may come at the same time from different threads, hence the atomics.
 */
final class MessageTally {
  private final Span span;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();

  /**
   * @param span the span that gets the message events, or {@code null} when not tracing
   */
  MessageTally(Span span) {
    this.span = span;
  }

  /** A message went out; never throws (a failure is logged once by {@link Guard}). */
  void outbound(int seqNo, long wireSize, long uncompressedSize) {
    try {
      sent.addAndGet(wireSize);
      if (span != null) {
        Spans.message(span, Spans.OUTBOUND_MESSAGE, seqNo, wireSize, uncompressedSize);
      }
    } catch (RuntimeException e) {
      Guard.failed("outboundMessage", e);
    }
  }

  /** A message came in; never throws (a failure is logged once by {@link Guard}). */
  void inbound(int seqNo, long wireSize, long uncompressedSize) {
    try {
      received.addAndGet(wireSize);
      if (span != null) {
        Spans.message(span, Spans.INBOUND_MESSAGE, seqNo, wireSize, uncompressedSize);
      }
    } catch (RuntimeException e) {
      Guard.failed("inboundMessage", e);
    }
  }

  long sentBytes() {
    return sent.get();
  }

  long receivedBytes() {
    return received.get();
  }
}
