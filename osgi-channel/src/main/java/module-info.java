/**
 * Channels from OSGi configuration: each Configuration Admin factory configuration of PID {@value
 * dev.switchboard.osgi.channel.ChannelProperties#FACTORY_PID} creates a channel, publishes it as a
 * {@code ClientConn} and {@code Channel} service carrying the configuration's properties, applies
 * updates live and closes it gracefully when the configuration is deleted. A Declarative Services
 * component (with Metatype, so that consoles show a form); it works inside an OSGi framework only.
 * The property names are the constants of {@link dev.switchboard.osgi.channel.ChannelProperties}.
 */
module dev.switchboard.osgi.channel {
  requires dev.switchboard.api;
  // ClientConns.newClient creates the channels.
  requires dev.switchboard.core.clientconn;
  // OSGi only: BundleContext, ServiceTracker and filters, provided by the framework, the only place
  // this module runs.
  requires static osgi.core;
  // Build-time only: DS and Metatype annotations turned into OSGI-INF XML by bnd,
  // bundle/versioning annotations.
  requires static org.osgi.service.component.annotations;
  requires static org.osgi.service.metatype.annotations;
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  exports dev.switchboard.osgi.channel;
}
