package dev.switchboard.reflection;

import com.google.protobuf.Descriptors.FileDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ServerCallStreamObserver;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.reflection.v1.ErrorResponse;
import dev.switchboard.reflection.v1.ExtensionNumberResponse;
import dev.switchboard.reflection.v1.ExtensionRequest;
import dev.switchboard.reflection.v1.FileDescriptorResponse;
import dev.switchboard.reflection.v1.ListServiceResponse;
import dev.switchboard.reflection.v1.ServerReflectionRequest;
import dev.switchboard.reflection.v1.ServerReflectionResponse;
import dev.switchboard.reflection.v1.ServiceResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One {@code ServerReflectionInfo} call: answers each request with one response, in order.
 *
 * <p>Each request is read against the index of the services bound at that moment, so a service
 * bound during a long stream is seen by the requests after it. File responses carry the file asked
 * for, then those of its transitive dependencies not yet sent on this stream (as the reflection
 * protocol allows); what was sent is remembered per stream, bounded by the size of the schema.
 *
 * <p>The peer cannot make the server queue responses: inbound flow control is manual, and the next
 * request is read only once the transport has taken the previous response (the call is ready).
 */
final class ReflectionStream implements StreamObserver<ServerReflectionRequest> {
  private final Supplier<SchemaIndex> index;
  private final ServerCallStreamObserver<ServerReflectionResponse> responses;
  private final Set<String> sentFiles = new HashSet<>(); // only touched by the call's callbacks
  private final AtomicBoolean awaitingReady = new AtomicBoolean();

  ReflectionStream(
      Supplier<SchemaIndex> index, ServerCallStreamObserver<ServerReflectionResponse> responses) {
    this.index = index;
    this.responses = responses;
    responses.disableAutoInboundFlowControl();
    responses.setOnReadyHandler(this::onReady);
    responses.request(1);
  }

  @Override
  public void onNext(ServerReflectionRequest request) {
    responses.onNext(answer(request));
    awaitingReady.set(true);
    if (responses.isReady()) {
      onReady();
    }
  }

  private void onReady() {
    if (awaitingReady.compareAndSet(true, false)) {
      responses.request(1);
    }
  }

  @Override
  public void onError(Throwable t) {
    // The peer cancelled or the call failed: nothing more to answer.
  }

  @Override
  public void onCompleted() {
    responses.onCompleted();
  }

  /** The response to one request. */
  ServerReflectionResponse answer(ServerReflectionRequest request) {
    ServerReflectionResponse.Builder response =
        ServerReflectionResponse.newBuilder()
            .setValidHost(request.getHost())
            .setOriginalRequest(request);
    SchemaIndex schema = index.get();
    switch (request.getMessageRequestCase()) {
      case LIST_SERVICES -> {
        ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
        for (String name : schema.serviceNames()) {
          list.addService(ServiceResponse.newBuilder().setName(name));
        }
        response.setListServicesResponse(list);
      }
      case FILE_BY_FILENAME -> {
        String name = request.getFileByFilename();
        files(response, schema, schema.file(name), "unknown file " + name);
      }
      case FILE_CONTAINING_SYMBOL -> {
        String symbol = request.getFileContainingSymbol();
        files(response, schema, schema.fileContainingSymbol(symbol), "unknown symbol " + symbol);
      }
      case FILE_CONTAINING_EXTENSION -> {
        ExtensionRequest extension = request.getFileContainingExtension();
        files(
            response,
            schema,
            schema.fileContainingExtension(
                extension.getContainingType(), extension.getExtensionNumber()),
            "unknown extension "
                + extension.getExtensionNumber()
                + " of "
                + extension.getContainingType());
      }
      case ALL_EXTENSION_NUMBERS_OF_TYPE -> {
        String type = request.getAllExtensionNumbersOfType();
        if (schema.isMessage(type)) {
          response.setAllExtensionNumbersResponse(
              ExtensionNumberResponse.newBuilder()
                  .setBaseTypeName(type)
                  .addAllExtensionNumber(schema.extensionNumbers(type)));
        } else {
          error(response, Status.Code.NOT_FOUND, "unknown message type " + type);
        }
      }
      default -> error(response, Status.Code.INVALID_ARGUMENT, "no request set");
    }
    return response.build();
  }

  private void files(
      ServerReflectionResponse.Builder response,
      SchemaIndex schema,
      FileDescriptor file,
      String notFound) {
    if (file == null) {
      error(response, Status.Code.NOT_FOUND, notFound);
      return;
    }
    response.setFileDescriptorResponse(
        FileDescriptorResponse.newBuilder()
            .addAllFileDescriptorProto(schema.withDependencies(file, sentFiles)));
  }

  private static void error(
      ServerReflectionResponse.Builder response, Status.Code code, String message) {
    response.setErrorResponse(
        ErrorResponse.newBuilder().setErrorCode(code.value()).setErrorMessage(message));
  }
}
