package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Context;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import dev.switchboard.api.telemetry.ClientCallInfo;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tracers of one traced client call: made when it starts, asked for an attempt tracer per
 * attempt ({@link #newAttempt}, which wraps the attempt's listener in a {@link TracedAttempt}),
 * told once how the call ended. A call no factory traces has none (the call holds null). A tracer
 * that throws is logged and skipped: it never breaks the call.
 */
final class CallTracing {
  private static final System.Logger LOG = System.getLogger(CallTracing.class.getName());

  private final ClientCallTracer[] tracers;
  private final AtomicBoolean ended = new AtomicBoolean();

  private CallTracing(ClientCallTracer[] tracers) {
    this.tracers = tracers;
  }

  /**
   * Asks each factory for a tracer, with {@code context} current; returns null when none gave one.
   */
  static CallTracing start(
      List<ClientCallTracer.Factory> factories, ClientCallInfo info, Context context) {
    ClientCallTracer[] made = new ClientCallTracer[factories.size()];
    int n = 0;
    Context previous = context.attach();
    try {
      for (ClientCallTracer.Factory f : factories) {
        try {
          ClientCallTracer t = f.newCallTracer(info);
          if (t != null) {
            made[n++] = t;
          }
        } catch (RuntimeException e) {
          log("newCallTracer", e);
        }
      }
    } finally {
      context.detach(previous);
    }
    if (n == 0) {
      return null;
    }
    return new CallTracing(n == made.length ? made : Arrays.copyOf(made, n));
  }

  /**
   * A new attempt: each tracer's attempt tracer, wrapped around {@code delegate} (the attempt's
   * listener), so that the attempt's transport events reach the tracers first.
   */
  TracedAttempt newAttempt(
      int previousAttempts, boolean transparentRetry, ClientTransportStreamListener delegate) {
    ClientAttemptTracer[] attempt = new ClientAttemptTracer[tracers.length];
    for (int i = 0; i < tracers.length; i++) {
      ClientAttemptTracer a = null;
      try {
        a = tracers[i].newAttempt(previousAttempts, transparentRetry);
      } catch (RuntimeException e) {
        log("newAttempt", e);
      }
      attempt[i] = a != null ? a : TracedAttempt.NOOP;
    }
    return new TracedAttempt(attempt, delegate);
  }

  /** The call ended with {@code status} (the listener's): told once, later calls ignored. */
  void callEnded(Status status) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    for (ClientCallTracer t : tracers) {
      try {
        t.callEnded(status);
      } catch (RuntimeException e) {
        log("callEnded", e);
      }
    }
  }

  static void log(String method, RuntimeException e) {
    LOG.log(System.Logger.Level.WARNING, "telemetry tracer failed in " + method + "; ignored", e);
  }
}
