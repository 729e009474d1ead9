package dev.switchboard.server.internal;

import dev.switchboard.api.Context;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ServerCallInfo;
import dev.switchboard.api.telemetry.ServerCallTracer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tracers of one traced server call, made when its stream arrives ({@link StreamDispatcher}),
 * told its events by {@link CallStreamListener} (context, inbound and outbound message sizes, the
 * end) and {@link ServerCallImpl} (response headers). A call no factory traces has none (null). A
 * tracer that throws is logged and skipped: it never breaks the call.
 */
final class ServerTracing {
  private static final System.Logger LOG = System.getLogger(ServerTracing.class.getName());

  private final ServerCallTracer[] tracers;
  private final AtomicBoolean ended = new AtomicBoolean();
  private int inboundSeqNo; // the transport's thread
  private int outboundSeqNo; // the sending thread, under the call's stream lock

  private ServerTracing(ServerCallTracer[] tracers) {
    this.tracers = tracers;
  }

  /** Asks each factory for a tracer; returns null when none gave one. */
  static ServerTracing start(List<ServerCallTracer.Factory> factories, ServerCallInfo info) {
    ServerCallTracer[] made = new ServerCallTracer[factories.size()];
    int n = 0;
    for (ServerCallTracer.Factory f : factories) {
      try {
        ServerCallTracer t = f.newCallTracer(info);
        if (t != null) {
          made[n++] = t;
        }
      } catch (RuntimeException e) {
        log("newCallTracer", e);
      }
    }
    if (n == 0) {
      return null;
    }
    return new ServerTracing(n == made.length ? made : Arrays.copyOf(made, n));
  }

  /** {@return the context the handler runs in: {@code context} as each tracer filtered it} */
  Context filterContext(Context context) {
    Context c = context;
    for (ServerCallTracer t : tracers) {
      try {
        Context filtered = t.filterContext(c);
        if (filtered != null) {
          c = filtered;
        }
      } catch (RuntimeException e) {
        log("filterContext", e);
      }
    }
    return c;
  }

  void outboundHeaders(Metadata headers) {
    for (ServerCallTracer t : tracers) {
      try {
        t.outboundHeaders(headers);
      } catch (RuntimeException e) {
        log("outboundHeaders", e);
      }
    }
  }

  void inboundMessage(long wireSize, long uncompressedSize) {
    int seqNo = inboundSeqNo++;
    for (ServerCallTracer t : tracers) {
      try {
        t.inboundMessage(seqNo, wireSize, uncompressedSize);
      } catch (RuntimeException e) {
        log("inboundMessage", e);
      }
    }
  }

  void outboundMessage(long wireSize, long uncompressedSize) {
    int seqNo = outboundSeqNo++;
    for (ServerCallTracer t : tracers) {
      try {
        t.outboundMessage(seqNo, wireSize, uncompressedSize);
      } catch (RuntimeException e) {
        log("outboundMessage", e);
      }
    }
  }

  /** The call ended with {@code status}: told once, later calls ignored. */
  void callEnded(Status status) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    for (ServerCallTracer t : tracers) {
      try {
        t.callEnded(status);
      } catch (RuntimeException e) {
        log("callEnded", e);
      }
    }
  }

  private static void log(String method, RuntimeException e) {
    LOG.log(System.Logger.Level.WARNING, "telemetry tracer failed in " + method + "; ignored", e);
  }
}
