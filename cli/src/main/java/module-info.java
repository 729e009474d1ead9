/**
 * The {@code switchboard} command line tool: lists, describes and calls the services of a gRPC
 * server (grpcurl's essentials) and checks its health, on the Switchboard runtime. Run it with
 * {@code cli/bin/switchboard} or {@code java -jar cli/target/switchboard-cli.jar}; entry point
 * {@code dev.switchboard.cli.Main}. Exports nothing.
 */
module dev.switchboard.cli {
  requires dev.switchboard.api;
  requires dev.switchboard.core.clientconn;
  requires dev.switchboard.reflection;
  requires com.google.protobuf;
  requires com.google.protobuf.util;
  requires com.google.gson;
  requires info.picocli;

  // picocli sets the annotated fields of the commands reflectively.
  opens dev.switchboard.cli to
      info.picocli;
}
