/**
 * Telemetry plug point: per-call and per-attempt hooks on the client ({@link
 * dev.switchboard.api.telemetry.ClientCallTracer}, {@link
 * dev.switchboard.api.telemetry.ClientAttemptTracer}) and per-call hooks on the server ({@link
 * dev.switchboard.api.telemetry.ServerCallTracer}), made by the factories of a {@link
 * dev.switchboard.api.telemetry.TelemetryProvider}. Providers are found like every other provider
 * ({@link dev.switchboard.api.telemetry.TelemetryRegistry}) or given to one channel or server. All
 * types here are implemented by plugins ({@code @ConsumerType}) except the two info records.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package dev.switchboard.api.telemetry;
