/**
 * gRFC A66 metrics and A72 tracing for Switchboard channels and servers, recorded through the
 * OpenTelemetry API: {@code SwitchboardOpenTelemetry} (a {@code TelemetryProvider} built around the
 * application's {@code OpenTelemetry}) and {@code GlobalOpenTelemetryProvider} (the installed
 * provider that uses {@code GlobalOpenTelemetry}, off unless the system property {@code
 * switchboard.otel.global} is {@code true}).
 */
module dev.switchboard.telemetry.otel {
  // Types of these appear in the exported package: TelemetryProvider, OpenTelemetry, Context.
  requires transitive dev.switchboard.api;
  requires transitive io.opentelemetry.api;
  requires transitive io.opentelemetry.context;
  // Build-time only: OSGi bundle/versioning annotations read by bnd.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;
  // Build-time only: Declarative Services annotations, turned into OSGI-INF XML by bnd.
  requires static org.osgi.service.component.annotations;

  exports dev.switchboard.telemetry.otel;

  provides dev.switchboard.api.telemetry.TelemetryProvider with
      dev.switchboard.telemetry.otel.GlobalOpenTelemetryProvider;
}
