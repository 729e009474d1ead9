package dev.switchboard.interop;

import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ServerCallStreamObserver;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.interop.proto.EmptyProtos.Empty;
import dev.switchboard.interop.proto.Messages.EchoStatus;
import dev.switchboard.interop.proto.Messages.PayloadType;
import dev.switchboard.interop.proto.Messages.ResponseParameters;
import dev.switchboard.interop.proto.Messages.SimpleRequest;
import dev.switchboard.interop.proto.Messages.SimpleResponse;
import dev.switchboard.interop.proto.Messages.StreamingInputCallRequest;
import dev.switchboard.interop.proto.Messages.StreamingInputCallResponse;
import dev.switchboard.interop.proto.Messages.StreamingOutputCallRequest;
import dev.switchboard.interop.proto.Messages.StreamingOutputCallResponse;
import dev.switchboard.interop.proto.TestServiceSwitchboard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code grpc.testing.TestService} as gRPC's interop-test-descriptions specify the server side:
 * EmptyCall, UnaryCall (response size and compression, echoed status, server id),
 * StreamingOutputCall, StreamingInputCall, FullDuplexCall and HalfDuplexCall (sizes, intervals and
 * per-message compression of each response). CacheableUnaryCall and UnimplementedCall are left
 * UNIMPLEMENTED, as in grpc-java's server: the first needs a caching proxy, the second is the
 * unimplemented_method test case.
 *
 * <p>Streaming requests' {@code orca_oob_report} becomes the server's out-of-band load report
 * ({@link OrcaReports}, streamed by {@link OpenRcaService}). What is not visible in the messages
 * lives in the interceptors: {@link EchoMetadataInterceptor}, {@link ExpectCompressedInterceptor}
 * and {@link OrcaPerCallInterceptor}.
 */
final class InteropTestService extends TestServiceSwitchboard.TestServiceImplBase {
  private final ScheduledExecutorService timer;
  private final String serverId;
  private final OrcaReports orca;

  InteropTestService(ScheduledExecutorService timer, String serverId, OrcaReports orca) {
    this.timer = timer;
    this.serverId = serverId;
    this.orca = orca;
  }

  @Override
  public void emptyCall(Empty request, StreamObserver<Empty> responseObserver) {
    responseObserver.onNext(Empty.getDefaultInstance());
    responseObserver.onCompleted();
  }

  @Override
  public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
    ServerCallStreamObserver<SimpleResponse> out =
        (ServerCallStreamObserver<SimpleResponse>) responseObserver;
    if (request.getResponseTypeValue() != PayloadType.COMPRESSABLE_VALUE) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription("unsupported response_type " + request.getResponseTypeValue())
              .asRuntimeException());
      return;
    }
    if (request.getResponseSize() < 0) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription("negative response_size " + request.getResponseSize())
              .asRuntimeException());
      return;
    }
    if (request.hasResponseStatus() && request.getResponseStatus().getCode() != 0) {
      out.onError(echoed(request.getResponseStatus()).asRuntimeException());
      return;
    }
    boolean compress =
        request.hasResponseCompressed() && request.getResponseCompressed().getValue();
    if (compress) {
      out.setCompression("gzip");
    }
    out.setMessageCompression(compress);

    SimpleResponse.Builder response = SimpleResponse.newBuilder();
    if (request.getResponseSize() > 0) {
      response.setPayload(Payloads.zeros(request.getResponseSize()));
    }
    if (request.getFillServerId()) {
      response.setServerId(serverId);
    }
    out.onNext(response.build());
    out.onCompleted();
  }

  @Override
  public void streamingOutputCall(
      StreamingOutputCallRequest request,
      StreamObserver<StreamingOutputCallResponse> responseObserver) {
    ResponseStreamer streamer =
        new ResponseStreamer(
            (ServerCallStreamObserver<StreamingOutputCallResponse>) responseObserver, timer);
    streamer.installCancelHandler();
    if (request.hasResponseStatus() && request.getResponseStatus().getCode() != 0) {
      streamer.fail(echoed(request.getResponseStatus()));
      return;
    }
    if (request.hasOrcaOobReport()) {
      orca.setOutOfBand(request.getOrcaOobReport());
    }
    streamer.enqueue(request.getResponseParametersList());
    streamer.inputDone();
  }

  @Override
  public StreamObserver<StreamingInputCallRequest> streamingInputCall(
      StreamObserver<StreamingInputCallResponse> responseObserver) {
    return new StreamObserver<>() {
      private int aggregated;

      @Override
      public void onNext(StreamingInputCallRequest request) {
        aggregated += request.getPayload().getBody().size();
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responseObserver.onNext(
            StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(aggregated).build());
        responseObserver.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> fullDuplexCall(
      StreamObserver<StreamingOutputCallResponse> responseObserver) {
    ResponseStreamer streamer =
        new ResponseStreamer(
            (ServerCallStreamObserver<StreamingOutputCallResponse>) responseObserver, timer);
    streamer.installCancelHandler();
    return new StreamObserver<>() {
      @Override
      public void onNext(StreamingOutputCallRequest request) {
        if (request.hasResponseStatus() && request.getResponseStatus().getCode() != 0) {
          streamer.fail(echoed(request.getResponseStatus()));
          return;
        }
        if (request.hasOrcaOobReport()) {
          orca.setOutOfBand(request.getOrcaOobReport());
        }
        streamer.enqueue(request.getResponseParametersList());
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        streamer.inputDone();
      }
    };
  }

  @Override
  public StreamObserver<StreamingOutputCallRequest> halfDuplexCall(
      StreamObserver<StreamingOutputCallResponse> responseObserver) {
    ResponseStreamer streamer =
        new ResponseStreamer(
            (ServerCallStreamObserver<StreamingOutputCallResponse>) responseObserver, timer);
    streamer.installCancelHandler();
    List<ResponseParameters> buffered = new ArrayList<>();
    return new StreamObserver<>() {
      private Status failure;

      @Override
      public void onNext(StreamingOutputCallRequest request) {
        if (failure == null
            && request.hasResponseStatus()
            && request.getResponseStatus().getCode() != 0) {
          failure = echoed(request.getResponseStatus());
          streamer.fail(failure);
        } else if (failure == null) {
          buffered.addAll(request.getResponseParametersList());
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        if (failure == null) {
          streamer.enqueue(buffered);
          streamer.inputDone();
        }
      }
    };
  }

  /** The status a request asks to be closed with ("Echo Status"). */
  private static Status echoed(EchoStatus echo) {
    return Status.fromCodeValue(echo.getCode()).withDescription(echo.getMessage());
  }
}
