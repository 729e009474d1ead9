package dev.switchboard.telemetry.otel;

import dev.switchboard.api.telemetry.ClientCallInfo;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.telemetry.ServerCallInfo;
import dev.switchboard.api.telemetry.ServerCallTracer;
import dev.switchboard.api.telemetry.TelemetryProvider;
import io.opentelemetry.api.GlobalOpenTelemetry;
import org.osgi.service.component.annotations.Component;

/**
 * The installed OpenTelemetry provider: found by {@link java.util.ServiceLoader} on the class path
 * and the module path, and a Declarative Services component in OSGi; it records through {@link
 * GlobalOpenTelemetry}, read at the first traced call (so set the global instance, or let the SDK's
 * autoconfiguration do it, before the first call).
 *
 * <p><b>Off unless enabled:</b> it reports itself unavailable, and is left out of the registry,
 * unless the system property {@value #ENABLE_PROPERTY} is {@code true} ({@code
 * -Dswitchboard.otel.global=true}; in OSGi a framework launched with that system property). gRFC
 * A66 asks plugins not to fall back on a global meter provider, and reading {@code
 * GlobalOpenTelemetry} too early freezes it; with this opt-in, having the jar on the class path
 * changes nothing. Applications that own their {@code OpenTelemetry} instance should rather build a
 * {@link SwitchboardOpenTelemetry} and register it (same name, higher priority: it replaces this
 * one).
 *
 * <p>Public no-arg constructor for ServiceLoader and DS; cheap, stateless until the first call.
 *
 * @since 0.3
 */
@Component(property = TelemetryProvider.NAME_PROPERTY + "=" + SwitchboardOpenTelemetry.NAME)
public final class GlobalOpenTelemetryProvider implements TelemetryProvider {
  /** The system property that turns this provider on. */
  public static final String ENABLE_PROPERTY = "switchboard.otel.global";

  private final boolean enabled = Boolean.getBoolean(ENABLE_PROPERTY);
  private volatile SwitchboardOpenTelemetry delegate;

  /** Creates the provider; nothing is read from OpenTelemetry until a call is traced. */
  public GlobalOpenTelemetryProvider() {}

  @Override
  public String name() {
    return SwitchboardOpenTelemetry.NAME;
  }

  /**
   * {@return 1: below the default 5, so that a registered {@link SwitchboardOpenTelemetry} wins}
   */
  @Override
  public int priority() {
    return 1;
  }

  /** {@return whether {@value #ENABLE_PROPERTY} was {@code true} when this was created} */
  @Override
  public boolean isAvailable() {
    return enabled;
  }

  @Override
  public ClientCallTracer.Factory clientCallTracers() {
    return this::newClientCallTracer;
  }

  @Override
  public ServerCallTracer.Factory serverCallTracers() {
    return this::newServerCallTracer;
  }

  private ClientCallTracer newClientCallTracer(ClientCallInfo info) {
    SwitchboardOpenTelemetry d = delegate();
    return d == null ? null : d.clientCallTracers().newCallTracer(info);
  }

  private ServerCallTracer newServerCallTracer(ServerCallInfo info) {
    SwitchboardOpenTelemetry d = delegate();
    return d == null ? null : d.serverCallTracers().newCallTracer(info);
  }

  private SwitchboardOpenTelemetry delegate() {
    if (!enabled) {
      return null;
    }
    SwitchboardOpenTelemetry d = delegate;
    if (d == null) {
      synchronized (this) {
        d = delegate;
        if (d == null) {
          try {
            d =
                SwitchboardOpenTelemetry.newBuilder()
                    .openTelemetry(GlobalOpenTelemetry.get())
                    .build();
          } catch (RuntimeException e) {
            Guard.failed("GlobalOpenTelemetry.get", e);
            return null;
          }
          delegate = d;
        }
      }
    }
    return d;
  }
}
