package dev.switchboard.health;

import com.google.protobuf.ByteString;
import com.google.protobuf.StringValue;
import com.google.protobuf.UnknownFieldSet;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.stub.ServerCalls;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.health.v1.HealthCheckRequest;
import dev.switchboard.health.v1.HealthCheckResponse;
import dev.switchboard.health.v1.HealthSwitchboard;
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
    this(name, health, health == null ? null : health.getHealthService().bindService());
  }

  private Backend(String name, HealthStatusManager health, ServiceDefinition healthService)
      throws IOException {
    this.name = name;
    this.health = health;
    ServiceDefinition id =
        ServiceDefinition.newBuilder(SERVICE)
            .addMethod(
                GET,
                ServerCalls.asyncUnaryCall(
                    (StringValue request, StreamObserver<StringValue> o) -> {
                      o.onNext(StringValue.of(name));
                      o.onCompleted();
                    }))
            .build();
    ServerOptions.Builder options =
        ServerOptions.newBuilder().insecure().listen("127.0.0.1", 0).addService(id);
    if (healthService != null) {
      options.addService(healthService);
    }
    this.server = Servers.newServer(options.build()).start();
  }

  /** A backend whose health service says {@link #SERVICE} is SERVING. */
  static Backend healthy(String name) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus(SERVICE, HealthCheckResponse.ServingStatus.SERVING);
    return new Backend(name, health);
  }

  /** A backend without a health service: {@code Watch} is UNIMPLEMENTED. */
  static Backend withoutHealth(String name) throws IOException {
    return new Backend(name, null);
  }

  /** A backend whose health service answers {@code Watch} with SERVING padded past any bound. */
  static Backend withHugeHealthAnswers(String name) throws IOException {
    ServiceDefinition huge =
        new HealthSwitchboard.HealthImplBase() {
          @Override
          public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
            ByteString padding = ByteString.copyFrom(new byte[HealthCheckStream.MAX_RESPONSE_SIZE]);
            out.onNext(
                HealthCheckResponse.newBuilder()
                    .setStatus(HealthCheckResponse.ServingStatus.SERVING)
                    .setUnknownFields(
                        UnknownFieldSet.newBuilder()
                            .addField(
                                99,
                                UnknownFieldSet.Field.newBuilder()
                                    .addLengthDelimited(padding)
                                    .build())
                            .build())
                    .build());
          }
        }.bindService();
    return new Backend(name, null, huge);
  }

  SocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server.port());
  }
}
