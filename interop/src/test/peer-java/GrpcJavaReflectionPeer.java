// grpc-java's side of the reflection checks, run as a single-file program on grpc-java's class path
// (`java -cp <grpc-java lib>/* GrpcJavaReflectionPeer.java MODE ...`), never compiled by the build.
//
//   server [v1alpha]  serves grpc.testing.TestService (every method UNIMPLEMENTED) and grpc-java's
//                 ProtoReflectionServiceV1 (or, with v1alpha, only the deprecated v1alpha
//                 ProtoReflectionService) on a free 127.0.0.1 port; prints "LISTENING <port>".
//   client PORT   asks the server at 127.0.0.1:PORT, with grpc-java's generated reflection stubs (v1,
//                 then v1alpha), for its services, the file of grpc.testing.TestService with its
//                 dependencies (built into descriptors), a file already sent, and an unknown symbol;
//                 prints "PASS <version>" or "FAIL <version>: <why>" for each, then "RESULT PASS" or
//                 "RESULT FAIL".

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

public class GrpcJavaReflectionPeer {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("server")) {
      Server server =
          Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
              .addService(
                  args.length > 1 && args[1].equals("v1alpha")
                      ? v1alphaReflection()
                      : io.grpc.protobuf.services.ProtoReflectionServiceV1.newInstance())
              .addService(new io.grpc.testing.integration.TestServiceGrpc.TestServiceImplBase() {})
              .build()
              .start();
      System.out.println("LISTENING " + server.getPort());
      server.awaitTermination();
      return;
    }
    ManagedChannel channel =
        Grpc.newChannelBuilder("127.0.0.1:" + args[1], InsecureChannelCredentials.create()).build();
    boolean ok = true;
    for (String version : List.of("v1", "v1alpha")) {
      String failure;
      try {
        failure = check(channel, version);
      } catch (Exception e) {
        failure = e.toString();
      }
      System.out.println(failure == null ? "PASS " + version : "FAIL " + version + ": " + failure);
      ok &= failure == null;
    }
    channel.shutdownNow();
    System.out.println("RESULT " + (ok ? "PASS" : "FAIL"));
  }

  @SuppressWarnings("deprecation")
  static io.grpc.BindableService v1alphaReflection() {
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }

  /** Runs the checks on one stream; null when all passed, else what failed. */
  static String check(ManagedChannel channel, String version) throws Exception {
    Stream stream = version.equals("v1") ? new V1(channel) : new V1Alpha(channel);
    // 1. list_services
    List<String> services = stream.listServices();
    if (!services.contains("grpc.testing.TestService")
        || !services.contains("grpc.reflection.v1.ServerReflection")) {
      return "services listed: " + services;
    }
    // 2. the file of the service, with every dependency: they must build.
    List<ByteString> files = stream.fileContainingSymbol("grpc.testing.TestService");
    Map<String, FileDescriptorProto> byName = new HashMap<>();
    for (ByteString bytes : files) {
      FileDescriptorProto proto = FileDescriptorProto.parseFrom(bytes);
      byName.put(proto.getName(), proto);
    }
    FileDescriptor test =
        build(FileDescriptorProto.parseFrom(files.get(0)).getName(), byName, new HashMap<>());
    if (test.findServiceByName("TestService").findMethodByName("UnaryCall") == null) {
      return "no UnaryCall in " + test.getName();
    }
    // 3. a file already sent on this stream comes again when asked for by name, alone.
    List<ByteString> again = stream.fileByFilename("grpc/testing/messages.proto");
    if (again.size() != 1
        || !FileDescriptorProto.parseFrom(again.get(0)).getName().equals("grpc/testing/messages.proto")) {
      return "file_by_filename messages.proto gave " + again.size() + " files";
    }
    // 4. an unknown symbol: NOT_FOUND (5).
    int code = stream.errorCodeForSymbol("no.such.Symbol");
    if (code != 5) {
      return "unknown symbol answered with code " + code;
    }
    stream.close();
    return null;
  }

  static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built)
      throws Exception {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalStateException("dependency " + name + " was not sent");
    }
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, protos, built));
    }
    FileDescriptor file = FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0]));
    built.put(name, file);
    return file;
  }

  /** One reflection stream, one request at a time. */
  abstract static class Stream {
    final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();

    <T> StreamObserver<T> observer() {
      return new StreamObserver<T>() {
        @Override
        public void onNext(T value) {
          responses.add(value);
        }

        @Override
        public void onError(Throwable t) {
          responses.add(t);
        }

        @Override
        public void onCompleted() {}
      };
    }

    Object next() throws Exception {
      Object next = responses.poll(20, TimeUnit.SECONDS);
      if (next == null) {
        throw new IllegalStateException("no response within 20 s");
      }
      if (next instanceof Throwable t) {
        throw new IllegalStateException("stream failed", t);
      }
      return next;
    }

    abstract List<String> listServices() throws Exception;

    abstract List<ByteString> fileContainingSymbol(String symbol) throws Exception;

    abstract List<ByteString> fileByFilename(String name) throws Exception;

    abstract int errorCodeForSymbol(String symbol) throws Exception;

    abstract void close();
  }

  static final class V1 extends Stream {
    final StreamObserver<io.grpc.reflection.v1.ServerReflectionRequest> requests;

    V1(ManagedChannel channel) {
      requests = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel).serverReflectionInfo(observer());
    }

    io.grpc.reflection.v1.ServerReflectionResponse ask(
        io.grpc.reflection.v1.ServerReflectionRequest.Builder request) throws Exception {
      requests.onNext(request.build());
      return (io.grpc.reflection.v1.ServerReflectionResponse) next();
    }

    static io.grpc.reflection.v1.ServerReflectionRequest.Builder request() {
      return io.grpc.reflection.v1.ServerReflectionRequest.newBuilder();
    }

    List<String> listServices() throws Exception {
      List<String> names = new ArrayList<>();
      ask(request().setListServices("")).getListServicesResponse().getServiceList()
          .forEach(s -> names.add(s.getName()));
      return names;
    }

    List<ByteString> fileContainingSymbol(String symbol) throws Exception {
      return ask(request().setFileContainingSymbol(symbol)).getFileDescriptorResponse()
          .getFileDescriptorProtoList();
    }

    List<ByteString> fileByFilename(String name) throws Exception {
      return ask(request().setFileByFilename(name)).getFileDescriptorResponse()
          .getFileDescriptorProtoList();
    }

    int errorCodeForSymbol(String symbol) throws Exception {
      return ask(request().setFileContainingSymbol(symbol)).getErrorResponse().getErrorCode();
    }

    void close() {
      requests.onCompleted();
    }
  }

  @SuppressWarnings("deprecation")
  static final class V1Alpha extends Stream {
    final StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests;

    V1Alpha(ManagedChannel channel) {
      requests =
          io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel).serverReflectionInfo(observer());
    }

    io.grpc.reflection.v1alpha.ServerReflectionResponse ask(
        io.grpc.reflection.v1alpha.ServerReflectionRequest.Builder request) throws Exception {
      requests.onNext(request.build());
      return (io.grpc.reflection.v1alpha.ServerReflectionResponse) next();
    }

    static io.grpc.reflection.v1alpha.ServerReflectionRequest.Builder request() {
      return io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder();
    }

    List<String> listServices() throws Exception {
      List<String> names = new ArrayList<>();
      ask(request().setListServices("")).getListServicesResponse().getServiceList()
          .forEach(s -> names.add(s.getName()));
      return names;
    }

    List<ByteString> fileContainingSymbol(String symbol) throws Exception {
      return ask(request().setFileContainingSymbol(symbol)).getFileDescriptorResponse()
          .getFileDescriptorProtoList();
    }

    List<ByteString> fileByFilename(String name) throws Exception {
      return ask(request().setFileByFilename(name)).getFileDescriptorResponse()
          .getFileDescriptorProtoList();
    }

    int errorCodeForSymbol(String symbol) throws Exception {
      return ask(request().setFileContainingSymbol(symbol)).getErrorResponse().getErrorCode();
    }

    void close() {
      requests.onCompleted();
    }
  }
}
