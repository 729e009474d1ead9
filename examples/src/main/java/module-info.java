/**
 * Switchboard examples: the hello-world {@code Greeter} server ({@code GreeterServer}) and a demo
 * client ({@code HelloWorldDemo}) that makes one call of each kind and spreads calls over three
 * servers with {@code round_robin}; {@code TelemetryGreeterDemo} prints the greeter's OpenTelemetry
 * metrics and trace.
 *
 * <p>Transport, balancers and codec are not named here: the api module finds them at run time
 * through {@link java.util.ServiceLoader}, so they only need to be on the module or class path.
 */
module dev.switchboard.examples {
  requires dev.switchboard.core.clientconn;
  requires dev.switchboard.core.server;
  // Types of these two appear in the exported package: method descriptors, generated messages.
  requires transitive dev.switchboard.api;
  requires transitive com.google.protobuf;
  // TelemetryGreeterDemo only (optional Maven dependencies, optional OSGi imports): the other
  // demos run without them; on the module path, that one needs
  // --add-modules dev.switchboard.telemetry.otel,io.opentelemetry.sdk.
  requires static dev.switchboard.telemetry.otel;
  requires static io.opentelemetry.sdk;
  requires static io.opentelemetry.sdk.common;
  requires static io.opentelemetry.sdk.metrics;
  requires static io.opentelemetry.sdk.trace;
  // Build-time only: OSGi bundle/versioning annotations read by bnd.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  // The proto codec and protobuf itself reflect on the generated message classes.
  exports dev.switchboard.examples.helloworld;
}
