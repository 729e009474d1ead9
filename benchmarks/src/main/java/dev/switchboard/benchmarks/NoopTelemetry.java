package dev.switchboard.benchmarks;

import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.telemetry.ServerCallTracer;
import dev.switchboard.api.telemetry.TelemetryProvider;

/**
 * A telemetry provider whose tracers do nothing ({@code --noop_telemetry} of benchmark-server and
 * benchmark-client): what the telemetry hooks themselves cost on the call path, against a run
 * without any provider. Its tracers are shared instances, so the difference is the core's calls
 * into them, not a tracer's own allocation.
 */
final class NoopTelemetry implements TelemetryProvider {
  private static final ClientAttemptTracer ATTEMPT = new ClientAttemptTracer() {};

  private static final ClientCallTracer CALL =
      new ClientCallTracer() {
        @Override
        public ClientAttemptTracer newAttempt(int previousAttempts, boolean transparentRetry) {
          return ATTEMPT;
        }

        @Override
        public void callEnded(Status status) {}
      };

  private static final ServerCallTracer SERVER_CALL = new ServerCallTracer() {};

  @Override
  public String name() {
    return "benchmark-noop";
  }

  @Override
  public ClientCallTracer.Factory clientCallTracers() {
    return info -> CALL;
  }

  @Override
  public ServerCallTracer.Factory serverCallTracers() {
    return info -> SERVER_CALL;
  }
}
