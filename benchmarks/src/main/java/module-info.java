/**
 * Switchboard benchmarks: a {@code grpc.testing.BenchmarkService} server ({@code BenchmarkServer})
 * and a closed-loop load client ({@code BenchmarkClient}), both wire-compatible with grpc-java's
 * {@code AsyncServer} and {@code AsyncClient} so that either side can be swapped for grpc-java's.
 *
 * <p>Transport, balancer and codec are not named here: the api module finds them at run time
 * through {@link java.util.ServiceLoader}, so they only need to be on the module or class path.
 */
module dev.switchboard.benchmarks {
  requires dev.switchboard.core.clientconn;
  requires dev.switchboard.core.server;
  // Types of these two appear in the exported package: method descriptors, generated messages.
  requires transitive dev.switchboard.api;
  requires transitive com.google.protobuf;
  // Latency histograms. HdrHistogram 2.2.2 has no Automatic-Module-Name: the name comes from the
  // jar's file name, HdrHistogram-<version>.jar.
  requires HdrHistogram;
  // Build-time only: OSGi bundle/versioning annotations read by bnd.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  // The proto codec and protobuf itself reflect on the generated message classes.
  exports dev.switchboard.benchmarks.proto;
}
