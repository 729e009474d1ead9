/**
 * The channel ({@code ClientConn}) core: target parsing, the built-in {@code passthrough}, {@code
 * static}, {@code unix} and {@code unix-abstract} resolvers, resolver, balancer and picker wrappers
 * serialized on one synchronization context per channel, {@code SubConn}s with reconnect backoff,
 * and the call implementation.
 *
 * <p>Entry point: {@link dev.switchboard.clientconn.ClientConns#newClient}.
 */
module dev.switchboard.core.clientconn {
  requires transitive dev.switchboard.api;
  // Build-time only: OSGi bundle/versioning annotations read by bnd.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  exports dev.switchboard.clientconn;
}
