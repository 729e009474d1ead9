/**
 * The {@code proto} codec for protobuf-java messages. Exports nothing; found through the codec
 * registry.
 */
module dev.switchboard.codec.proto {
  requires dev.switchboard.api;
  requires com.google.protobuf;
  // Build-time only: Declarative Services annotations, turned into OSGI-INF XML by bnd.
  requires static org.osgi.service.component.annotations;

  provides dev.switchboard.api.spi.CodecProvider with
      dev.switchboard.codec.proto.ProtoCodecProvider;
}
