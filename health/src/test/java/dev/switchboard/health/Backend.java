package dev.switchboard.health;

import com.google.protobuf.StringValue;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.stub.ServerCalls;
import dev.switchboard.server.Servers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** A loopback server answering {@code test.Id/Get} with its name, with or without health. */
final class Backend {
  static final String SERVICE = "test.Id";
  static final MethodDescriptor<StringValue, StringValue> GET =
      MethodDescriptor.of(SERVICE + "/Get", MethodType.UNARY, StringValue.class, StringValue.class);

  final String name;
  final HealthStatusManager health; // null: no health service
  final Server server;

  private Backend(String name, HealthStatusManager health) throws IOException {
    this.name = name;
    this.health = health;
    ServiceDefinition id =
        ServiceDefinition.newBuilder(SERVICE)
            .addMethod(
                GET,
                ServerCalls.asyncUnaryCall(
                    (StringValue request,
                        dev.switchboard.api.stub.StreamObserver<StringValue> o) -> {
                      o.onNext(StringValue.of(name));
                      o.onCompleted();
                    }))
            .build();
    ServerOptions.Builder options =
        ServerOptions.newBuilder().insecure().listen("127.0.0.1", 0).addService(id);
    if (health != null) {
      options.addService(health.getHealthService().bindService());
    }
    this.server = Servers.newServer(options.build()).start();
  }

  /** A backend whose health service says {@link #SERVICE} is SERVING. */
  static Backend healthy(String name) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus(SERVICE, dev.switchboard.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    return new Backend(name, health);
  }

  /** A backend without a health service: {@code Watch} is UNIMPLEMENTED. */
  static Backend withoutHealth(String name) throws IOException {
    return new Backend(name, null);
  }

  SocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server.port());
  }
}
