package dev.switchboard.server.internal;

import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.telemetry.ServerCallTracer;
import dev.switchboard.api.telemetry.TelemetryProvider;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Which server call tracer factories a server's calls ask: the server's own providers' ({@link
 * ServerOptions#telemetry()}) and, unless left out, the installed ones as they are when the call
 * arrives. Without any, {@link #factories()} is the same empty list every time: a call pays one
 * check. Thread-safe.
 */
final class ServerTelemetry {
  private final List<ServerCallTracer.Factory> own;
  private final TelemetryRegistry installed; // null: left out

  ServerTelemetry(ServerOptions options) {
    List<ServerCallTracer.Factory> factories = new ArrayList<>();
    for (TelemetryProvider p : options.telemetry()) {
      ServerCallTracer.Factory f = p.serverCallTracers();
      if (f != null) {
        factories.add(f);
      }
    }
    this.own = List.copyOf(factories);
    this.installed = options.installedTelemetry() ? TelemetryRegistry.getDefaultRegistry() : null;
  }

  /** {@return the factories for a call arriving now; immutable} */
  List<ServerCallTracer.Factory> factories() {
    if (installed == null) {
      return own;
    }
    List<ServerCallTracer.Factory> fromRegistry = installed.serverCallTracerFactories();
    if (own.isEmpty()) {
      return fromRegistry;
    }
    if (fromRegistry.isEmpty()) {
      return own;
    }
    List<ServerCallTracer.Factory> all = new ArrayList<>(own.size() + fromRegistry.size());
    all.addAll(own);
    all.addAll(fromRegistry);
    return all;
  }
}
