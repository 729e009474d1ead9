package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.StreamProgress;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One traced attempt: the listener its transport stream reports to, telling the attempt's tracers
 * each event before passing it on to the attempt's own listener ({@link RetriableStream}'s or
 * {@link HedgingStream}'s). Outbound message sizes come from the transport on the sending thread;
 * inbound events on the transport's. A tracer that throws is logged and skipped.
 */
final class TracedAttempt implements ClientTransportStreamListener {
  /** Stands in for a tracer that declined or failed to make an attempt tracer. */
  static final ClientAttemptTracer NOOP = new ClientAttemptTracer() {};

  private final ClientAttemptTracer[] tracers;
  private final ClientTransportStreamListener delegate;
  private final AtomicBoolean ended = new AtomicBoolean();
  private int outboundSeqNo; // the sending thread's
  private int inboundSeqNo; // the transport's

  TracedAttempt(ClientAttemptTracer[] tracers, ClientTransportStreamListener delegate) {
    this.tracers = tracers;
    this.delegate = delegate;
  }

  /**
   * {@return a copy of {@code headers} with what the tracers add for this attempt} The call's own
   * headers stay untouched, so that a retry does not carry the previous attempt's entries.
   */
  Metadata outboundHeaders(Metadata headers) {
    Metadata copy = new Metadata(headers);
    for (ClientAttemptTracer t : tracers) {
      try {
        t.outboundHeaders(copy);
      } catch (RuntimeException e) {
        CallTracing.log("outboundHeaders", e);
      }
    }
    return copy;
  }

  @Override
  public void headersRead(Metadata headers) {
    for (ClientAttemptTracer t : tracers) {
      try {
        t.inboundHeaders(headers);
      } catch (RuntimeException e) {
        CallTracing.log("inboundHeaders", e);
      }
    }
    delegate.headersRead(headers);
  }

  @Override
  public void trailersRead(Metadata trailers) {
    for (ClientAttemptTracer t : tracers) {
      try {
        t.inboundTrailers(trailers);
      } catch (RuntimeException e) {
        CallTracing.log("inboundTrailers", e);
      }
    }
    delegate.trailersRead(trailers);
  }

  @Override
  public void outboundMessageSize(long wireSize, long uncompressedSize) {
    int seqNo = outboundSeqNo++;
    for (ClientAttemptTracer t : tracers) {
      try {
        t.outboundMessage(seqNo, wireSize, uncompressedSize);
      } catch (RuntimeException e) {
        CallTracing.log("outboundMessage", e);
      }
    }
    delegate.outboundMessageSize(wireSize, uncompressedSize);
  }

  @Override
  public void inboundMessageSize(long wireSize, long uncompressedSize) {
    int seqNo = inboundSeqNo++;
    for (ClientAttemptTracer t : tracers) {
      try {
        t.inboundMessage(seqNo, wireSize, uncompressedSize);
      } catch (RuntimeException e) {
        CallTracing.log("inboundMessage", e);
      }
    }
    delegate.inboundMessageSize(wireSize, uncompressedSize);
  }

  @Override
  public void messageRead(InputStream message) {
    delegate.messageRead(message);
  }

  @Override
  public void onReady() {
    delegate.onReady();
  }

  @Override
  public void closed(Status status, Metadata trailers) {
    closed(status, StreamProgress.PROCESSED, trailers);
  }

  @Override
  public void closed(Status status, StreamProgress progress, Metadata trailers) {
    if (ended.compareAndSet(false, true)) {
      for (ClientAttemptTracer t : tracers) {
        try {
          t.attemptEnded(status);
        } catch (RuntimeException e) {
          CallTracing.log("attemptEnded", e);
        }
      }
    }
    delegate.closed(status, progress, trailers);
  }
}
