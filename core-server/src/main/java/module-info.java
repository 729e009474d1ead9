/**
 * The server core: method dispatch, interceptors, executors, deadlines, message limits and graceful
 * shutdown, over any transport found in the transport registry.
 *
 * <p>Entry point: {@link dev.switchboard.server.Servers#newServer}.
 */
module dev.switchboard.core.server {
  requires transitive dev.switchboard.api;
  // Build-time only: OSGi bundle/versioning annotations read by bnd.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  exports dev.switchboard.server;
}
