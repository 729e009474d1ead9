/**
 * gRPC servers for OSGi: servers from Configuration Admin (factory PID {@code
 * dev.switchboard.server}, described by Metatype so consoles show a form) that bind every {@link
 * dev.switchboard.api.BindableService} and {@link dev.switchboard.api.ServerInterceptor} whiteboard
 * service their target filter matches, live. A Declarative Services component: it needs SCR and a
 * Configuration Admin in the framework, and does nothing outside one.
 *
 * <p>The property names are in {@link dev.switchboard.osgi.server.WhiteboardConstants}.
 */
module dev.switchboard.osgi.server {
  // BindableService, ServerInterceptor and Server: what the bundle tracks and publishes (its
  // exported package names only properties, so nothing is re-exported).
  requires dev.switchboard.api;
  // Servers.newServer for each configuration.
  requires dev.switchboard.core.server;
  // OSGi only: BundleContext and ServiceTracker, used by the component SCR creates inside a
  // framework; nothing loads them elsewhere.
  requires static osgi.core;
  // Build-time only: DS and Metatype annotations turned into OSGI-INF XML by bnd, and the
  // bundle/versioning annotations.
  requires static org.osgi.service.component.annotations;
  requires static org.osgi.service.metatype.annotations;
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  exports dev.switchboard.osgi.server;
}
