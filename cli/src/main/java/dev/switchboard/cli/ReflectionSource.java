package dev.switchboard.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ClientCalls;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.reflection.v1.ErrorResponse;
import dev.switchboard.reflection.v1.ServerReflectionRequest;
import dev.switchboard.reflection.v1.ServerReflectionResponse;
import dev.switchboard.reflection.v1.ServerReflectionSwitchboard;
import dev.switchboard.reflection.v1.ServiceResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Descriptors from the server's reflection service, over one stream opened on first use: {@code
 * grpc.reflection.v1}, or {@code v1alpha} when the server does not implement v1 (both have the same
 * messages on the wire). Each answer waits at most the timeout given. Not thread-safe.
 */
final class ReflectionSource implements DescriptorSource, AutoCloseable {
  private static final MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> V1ALPHA =
      MethodDescriptor.of(
          "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
          MethodType.BIDI_STREAMING,
          ServerReflectionRequest.class,
          ServerReflectionResponse.class);
  private static final Object COMPLETED = new Object();

  private final Channel channel;
  private final Duration timeout;
  private final DescriptorPool pool = new DescriptorPool(this::fileByName);
  private final Map<String, GenericDescriptor> symbols = new HashMap<>();
  private Stream stream;
  private boolean v1Unimplemented;

  ReflectionSource(Channel channel, Duration timeout) {
    this.channel = channel;
    this.timeout = timeout;
  }

  @Override
  public List<String> listServices() throws CliException {
    ServerReflectionResponse response = ask(request().setListServices("").build());
    List<String> names = new ArrayList<>();
    for (ServiceResponse service : response.getListServicesResponse().getServiceList()) {
      names.add(service.getName());
    }
    return names;
  }

  @Override
  public GenericDescriptor findSymbol(String fullName) throws CliException {
    GenericDescriptor known = symbols.get(fullName);
    if (known != null) {
      return known;
    }
    ServerReflectionResponse response = ask(request().setFileContainingSymbol(fullName).build());
    if (response.hasErrorResponse()) {
      throw notFound("symbol", fullName, response.getErrorResponse());
    }
    List<FileDescriptorProto> files = files(response);
    if (files.isEmpty()) {
      throw CliException.failed("symbol not found: " + fullName + " (empty answer)");
    }
    for (FileDescriptorProto file : files) {
      pool.add(file);
    }
    FileDescriptor file = pool.build(files.get(0).getName());
    Symbols.addAll(file, symbols);
    GenericDescriptor symbol = symbols.get(fullName);
    if (symbol == null) {
      throw CliException.failed(
          "symbol not found: " + fullName + " (not in " + file.getName() + ")");
    }
    return symbol;
  }

  @Override
  public void close() {
    if (stream != null) {
      stream.requests.onCompleted();
    }
  }

  private List<FileDescriptorProto> fileByName(String name) throws CliException {
    ServerReflectionResponse response = ask(request().setFileByFilename(name).build());
    if (response.hasErrorResponse()) {
      throw notFound("file", name, response.getErrorResponse());
    }
    return files(response);
  }

  private static List<FileDescriptorProto> files(ServerReflectionResponse response)
      throws CliException {
    List<FileDescriptorProto> files = new ArrayList<>();
    for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      try {
        files.add(FileDescriptorProto.parseFrom(bytes));
      } catch (InvalidProtocolBufferException e) {
        throw CliException.failed("server sent a bad file descriptor: " + e.getMessage());
      }
    }
    return files;
  }

  private static CliException notFound(String what, String name, ErrorResponse error) {
    return CliException.failed(
        what
            + " not found: "
            + name
            + " ("
            + CliException.codeName(Status.fromCodeValue(error.getErrorCode()).getCode())
            + ": "
            + error.getErrorMessage()
            + ")");
  }

  private static ServerReflectionRequest.Builder request() {
    return ServerReflectionRequest.newBuilder();
  }

  /** Sends one request and waits for its response; falls back to v1alpha once if need be. */
  private ServerReflectionResponse ask(ServerReflectionRequest request) throws CliException {
    if (stream == null) {
      stream =
          new Stream(
              v1Unimplemented
                  ? V1ALPHA
                  : ServerReflectionSwitchboard.METHOD_SERVER_REFLECTION_INFO);
    }
    try {
      return stream.ask(request);
    } catch (CliException e) {
      if (!v1Unimplemented
          && stream.failure != null
          && stream.failure.getCode() == Status.Code.UNIMPLEMENTED) {
        v1Unimplemented = true;
        stream = null;
        return ask(request);
      }
      throw e;
    }
  }

  /** One reflection stream, its responses queued by the call's callbacks. */
  private final class Stream {
    final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
    final StreamObserver<ServerReflectionRequest> requests;
    Status failure;

    Stream(MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> method) {
      requests =
          ClientCalls.asyncBidiStreamingCall(
              channel.newStream(method, CallOptions.DEFAULT),
              new StreamObserver<>() {
                @Override
                public void onNext(ServerReflectionResponse value) {
                  responses.add(value);
                }

                @Override
                public void onError(Throwable t) {
                  responses.add(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                  responses.add(COMPLETED);
                }
              });
    }

    ServerReflectionResponse ask(ServerReflectionRequest request) throws CliException {
      if (failure != null) {
        throw CliException.of(failure);
      }
      requests.onNext(request);
      Object next;
      try {
        next = responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CliException.failed("interrupted");
      }
      if (next instanceof ServerReflectionResponse response) {
        return response;
      }
      if (next == null) {
        requests.onError(Status.CANCELLED.withDescription("timed out").asRuntimeException());
        failure =
            Status.DEADLINE_EXCEEDED.withDescription(
                "no reflection answer within " + timeout.toMillis() + " ms");
      } else if (next instanceof Status status) {
        failure = status;
      } else {
        failure = Status.INTERNAL.withDescription("reflection stream ended early");
      }
      throw CliException.of(failure);
    }
  }
}
