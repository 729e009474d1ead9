package dev.switchboard.clientconn.internal;

import dev.switchboard.api.DialOptions;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.telemetry.TelemetryProvider;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Which client call tracer factories a channel's calls ask: the channel's own providers' ({@link
 * DialOptions#telemetry()}) and, unless left out, the installed ones as they are when the call
 * starts. Without any, {@link #factories()} is the same empty list every time: a call pays one
 * check. Thread-safe.
 */
final class ClientTelemetry {
  private final List<ClientCallTracer.Factory> own;
  private final TelemetryRegistry installed; // null: left out

  ClientTelemetry(DialOptions options) {
    this(options, TelemetryRegistry.getDefaultRegistry());
  }

  ClientTelemetry(DialOptions options, TelemetryRegistry registry) {
    List<ClientCallTracer.Factory> factories = new ArrayList<>();
    for (TelemetryProvider p : options.telemetry()) {
      ClientCallTracer.Factory f = p.clientCallTracers();
      if (f != null) {
        factories.add(f);
      }
    }
    this.own = List.copyOf(factories);
    this.installed = options.installedTelemetry() ? registry : null;
  }

  /** {@return the factories for a call starting now; immutable} */
  List<ClientCallTracer.Factory> factories() {
    if (installed == null) {
      return own;
    }
    List<ClientCallTracer.Factory> fromRegistry = installed.clientCallTracerFactories();
    if (own.isEmpty()) {
      return fromRegistry;
    }
    if (fromRegistry.isEmpty()) {
      return own;
    }
    List<ClientCallTracer.Factory> all = new ArrayList<>(own.size() + fromRegistry.size());
    all.addAll(own);
    all.addAll(fromRegistry);
    return all;
  }
}
