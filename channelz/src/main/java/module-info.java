/**
 * The {@code grpc.channelz.v1.Channelz} service (gRFC A14): what {@link
 * dev.switchboard.api.channelz.ChannelzRegistry} knows about live channels, subchannels, servers
 * and sockets, served to channelz clients ({@code grpcdebug}, grpc-zpages, ...). Add {@link
 * dev.switchboard.channelz.ChannelzService} to a server; the proto codec must be deployed.
 */
module dev.switchboard.channelz {
  // Types of these two appear in the exported packages: the service, generated messages.
  requires transitive dev.switchboard.api;
  requires transitive com.google.protobuf;
  // Build-time only: OSGi bundle/versioning annotations read by bnd.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  exports dev.switchboard.channelz;
  // The generated messages and stubs; the proto codec reflects on the message classes.
  exports dev.switchboard.channelz.v1;
}
