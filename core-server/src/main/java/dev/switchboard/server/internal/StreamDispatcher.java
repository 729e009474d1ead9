package dev.switchboard.server.internal;

import dev.switchboard.api.Deadline;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.SerializingExecutor;
import dev.switchboard.api.ServerMethodDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.telemetry.ServerCallInfo;
import dev.switchboard.api.telemetry.ServerCallTracer;
import dev.switchboard.api.transport.ServerTransportStream;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Turns each new transport stream into a call: finds the method bound now, picks its marshallers,
 * wires a {@link ServerCallImpl} and a {@link CallStreamListener} to the stream, arms the deadline
 * and posts the handler's start. The call keeps that handler to its end, whatever is bound later.
 * Streams for unknown methods (UNIMPLEMENTED), or whose codec is missing, are closed at once.
 * Stateless between calls and thread-safe; called on transport threads, never blocks.
 */
final class StreamDispatcher {
  private final ServiceRegistry services;
  private final CodecRegistry codecs;
  private final CompressorRegistry compressors;
  private final Executor executor;
  private final ScheduledExecutorService timer;
  private final ServerTelemetry telemetry;

  StreamDispatcher(
      ServiceRegistry services,
      CodecRegistry codecs,
      CompressorRegistry compressors,
      Executor executor,
      ScheduledExecutorService timer,
      ServerTelemetry telemetry) {
    this.services = services;
    this.codecs = codecs;
    this.compressors = compressors;
    this.executor = executor;
    this.timer = timer;
    this.telemetry = telemetry;
  }

  /** Handles a stream the transport just created; sets its listener before returning. */
  void dispatch(ServerTransportStream stream, String fullMethodName, Metadata headers) {
    ServerMethodDefinition<?, ?> method = services.lookup(fullMethodName);
    List<ServerCallTracer.Factory> factories = telemetry.factories();
    ServerTracing tracing =
        factories.isEmpty()
            ? null
            : ServerTracing.start(
                factories,
                new ServerCallInfo(fullMethodName, method != null, headers, stream.authority()));
    if (method == null) {
      refuse(stream, services.unimplemented(fullMethodName), tracing);
      return;
    }
    startCall(method, stream, headers, tracing);
  }

  private <ReqT, RespT> void startCall(
      ServerMethodDefinition<ReqT, RespT> definition,
      ServerTransportStream stream,
      Metadata headers,
      ServerTracing tracing) {
    MethodDescriptor<ReqT, RespT> method = definition.method();
    CallMarshallers<ReqT, RespT> marshallers;
    try {
      marshallers = CallMarshallers.resolve(method, stream.contentSubtype(), codecs);
    } catch (StatusException e) {
      refuse(stream, e.getStatus(), tracing);
      return;
    }
    CallStreamListener<ReqT, RespT> listener =
        new CallStreamListener<>(
            stream, method, marshallers, compressors, new SerializingExecutor(executor), tracing);
    stream.setListener(listener);
    Deadline deadline = stream.deadline();
    if (deadline != null) {
      // The transport's own scheduler (its event loop) when it has one: no lock shared by calls.
      ScheduledExecutorService streamTimer = stream.scheduler();
      listener.armDeadline(deadline, streamTimer != null ? streamTimer : timer);
    }
    listener.start(definition.handler(), headers);
  }

  private static void refuse(ServerTransportStream stream, Status status, ServerTracing tracing) {
    stream.setListener(DiscardingStreamListener.INSTANCE);
    stream.close(status, new Metadata());
    if (tracing != null) {
      tracing.callEnded(status);
    }
  }
}
