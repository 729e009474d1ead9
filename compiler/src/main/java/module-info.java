/**
 * The Switchboard protoc plugin: reads a {@code CodeGeneratorRequest} on standard input and writes
 * a {@code CodeGeneratorResponse} with one {@code <Service>Switchboard.java} per service on
 * standard output. Run it through protoc ({@code --plugin=protoc-gen-switchboard=...}) or as a JVM
 * plugin of a Maven protobuf plugin; its main class is {@code
 * dev.switchboard.compiler.SwitchboardGenerator} (also the jar's {@code Main-Class}).
 *
 * <p>Exports nothing: its interface is the protoc plugin protocol. Reads no system properties. The
 * code it generates needs the {@code dev.switchboard.api} module and protobuf-java, not this one.
 */
module dev.switchboard.compiler {
  requires com.google.protobuf;
  // Build-time only: the bundle annotation that puts Main-Class in the manifest, read by bnd.
  requires static org.osgi.annotation.bundle;
}
