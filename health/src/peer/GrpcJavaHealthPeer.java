/*
 * The grpc-java side of HealthAgainstGrpcJavaIT, run as a single source file in its own JVM with
 * grpc-java's jars on the class path (java -cp 'lib/*' GrpcJavaHealthPeer.java MODE ...), so that
 * no grpc-java class meets Switchboard's.
 *
 *   server NAME        grpc-java server on 127.0.0.1, a free port: io.grpc.protobuf.services.
 *                      HealthStatusManager's service, and test.Id/Get answering NAME (a
 *                      google.protobuf.StringValue). Prints "port N"; then reads commands from
 *                      stdin: "set SERVICE SERVING|NOT_SERVING", answering "ok" after each.
 *   client PORT SVC    grpc-java's health client against 127.0.0.1:PORT: prints "check '' STATUS",
 *                      "check SVC STATUS" (or "check SVC error CODE"), the same for
 *                      no.such.Service, then "watch STATUS" for each Watch response on SVC and
 *                      "watch ended CODE" at its end, until stdin says "end" or closes.
 */
import com.google.protobuf.StringValue;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

public class GrpcJavaHealthPeer {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("server")) {
      server(args[1]);
    } else {
      client(Integer.parseInt(args[1]), args[2]);
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static void server(String name) throws Exception {
    HealthStatusManager health = new HealthStatusManager();
    MethodDescriptor<byte[], byte[]> get =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("test.Id/Get")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    ServerServiceDefinition id =
        ServerServiceDefinition.builder("test.Id")
            .addMethod(
                get,
                ServerCalls.asyncUnaryCall(
                    (byte[] request, StreamObserver<byte[]> out) -> {
                      out.onNext(StringValue.of(name).toByteArray());
                      out.onCompleted();
                    }))
            .build();
    Server server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(health.getHealthService())
            .addService(id)
            .build()
            .start();
    System.out.println("port " + server.getPort());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.trim().split(" ");
      if (words[0].equals("set")) {
        health.setStatus(words[1], HealthCheckResponse.ServingStatus.valueOf(words[2]));
        System.out.println("ok");
      }
    }
    server.shutdownNow().awaitTermination();
  }

  static void client(int port, String service) throws Exception {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
            .build();
    HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
    System.out.println("check '' " + stub.check(request("")).getStatus());
    try {
      System.out.println("check " + service + " " + stub.check(request(service)).getStatus());
    } catch (StatusRuntimeException e) {
      System.out.println("check " + service + " error " + e.getStatus().getCode());
    }
    try {
      System.out.println("check no.such.Service " + stub.check(request("no.such.Service")).getStatus());
    } catch (StatusRuntimeException e) {
      System.out.println("check no.such.Service error " + e.getStatus().getCode());
    }
    HealthGrpc.newStub(channel)
        .watch(
            request(service),
            new StreamObserver<HealthCheckResponse>() {
              @Override
              public void onNext(HealthCheckResponse value) {
                System.out.println("watch " + value.getStatus());
              }

              @Override
              public void onError(Throwable t) {
                System.out.println("watch ended " + io.grpc.Status.fromThrowable(t).getCode());
              }

              @Override
              public void onCompleted() {
                System.out.println("watch ended OK");
              }
            });
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("end"); line = in.readLine()) {
      // wait for the test to end the session
    }
    channel.shutdownNow();
  }

  private static HealthCheckRequest request(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build();
  }
}
