package dev.switchboard.api.telemetry;

import dev.switchboard.api.Status;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Follows one client call from start to end, across its attempts: the first one, the retries and
 * hedges of the service config's retry or hedging policy, and the transparent retries the channel
 * makes on its own (a stream the server never processed).
 *
 * <p>Threads: {@link #newAttempt} is called on the thread that starts the attempt, {@link
 * #callEnded} on the thread that delivers the call's close; they never overlap for one call, but
 * attempts run concurrently with each other when hedging.
 *
 * @since 0.3
 */
@ConsumerType
public interface ClientCallTracer {
  /**
   * A new attempt starts, before its stream is created (and before its headers are built).
   *
   * @param previousAttempts attempts started before this one (0 for the first)
   * @param transparentRetry true when the channel retries on its own because the previous attempt
   *     never reached a server, without counting it against the retry policy
   * @return the attempt's tracer, not null
   */
  ClientAttemptTracer newAttempt(int previousAttempts, boolean transparentRetry);

  /**
   * The call ended with {@code status}, the status its listener receives. Called once, after the
   * last attempt's {@link ClientAttemptTracer#attemptEnded}; also when the call ends before any
   * attempt started (an expired deadline, a cancellation while waiting for a connection).
   *
   * @param status the call's final status
   */
  void callEnded(Status status);

  /**
   * Makes a tracer per client call.
   *
   * @since 0.3
   */
  @ConsumerType
  interface Factory {
    /**
     * A call starts, on the application's thread with its {@link dev.switchboard.api.Context}
     * current (a tracer finds the parent span there).
     *
     * @param info the call's method, target and options
     * @return the call's tracer, or {@code null} to leave this call untraced
     */
    ClientCallTracer newCallTracer(ClientCallInfo info);
  }
}
