/**
 * OpenTelemetry for Switchboard: {@link dev.switchboard.telemetry.otel.SwitchboardOpenTelemetry}
 * records the gRFC A66 metrics ({@code grpc.client.attempt.*}, {@code grpc.client.call.duration},
 * {@code grpc.server.call.*}) and the gRFC A72 spans ({@code Sent.*}, {@code Attempt.*}, {@code
 * Recv.*}) of every call of the channels and servers it is given to, and propagates the trace
 * context in the request headers with the application's propagators.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package dev.switchboard.telemetry.otel;
