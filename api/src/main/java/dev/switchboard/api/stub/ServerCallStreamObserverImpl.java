package dev.switchboard.api.stub;

import dev.switchboard.api.Deadline;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.StatusRuntimeException;

/**
 * The response side of a server call handled through {@link ServerCalls}: sends headers lazily with
 * the first message, maps {@code onError} to a status and trailers, and holds the handlers and
 * flow-control choice made during setup for the call listeners to read.
 *
 * <p>Threading: the application calls it without overlap; handlers are set during setup, on the
 * callback thread, and read there later. {@link #cancelled} is written on the callback thread and
 * read from any.
 */
final class ServerCallStreamObserverImpl<ReqT, RespT> extends ServerCallStreamObserver<RespT> {
  private final ServerCall<ReqT, RespT> call;
  private final boolean streamingResponse;
  private volatile boolean cancelled;
  private boolean frozen;
  private boolean autoRequest = true;
  private boolean headersSent;
  private boolean completed;
  private boolean aborted;
  private Runnable onReadyHandler;
  private Runnable onCancelHandler;
  private Runnable onCloseHandler;

  ServerCallStreamObserverImpl(ServerCall<ReqT, RespT> call) {
    this.call = call;
    this.streamingResponse = !call.getMethodDescriptor().getType().serverSendsOneMessage();
  }

  @Override
  public void onNext(RespT value) {
    if (cancelled && streamingResponse) {
      if (onCancelHandler == null) {
        throw Status.CANCELLED
            .withDescription("call already cancelled; set an on-cancel handler to ignore this")
            .asRuntimeException();
      }
      return;
    }
    checkOpen();
    if (!headersSent) {
      headersSent = true;
      call.sendHeaders(new Metadata());
    }
    call.sendMessage(value);
  }

  @Override
  public void onError(Throwable t) {
    checkOpen();
    aborted = true;
    Metadata trailers = trailersOf(t);
    call.close(Status.fromThrowable(t), trailers != null ? trailers : new Metadata());
  }

  @Override
  public void onCompleted() {
    checkOpen();
    completed = true;
    call.close(Status.OK, new Metadata());
  }

  private void checkOpen() {
    if (aborted) {
      throw new IllegalStateException("response stream was ended by onError");
    }
    if (completed) {
      throw new IllegalStateException("response stream was already completed");
    }
  }

  /** The trailers of the status-carrying exception {@link Status#fromThrowable} would pick. */
  private static Metadata trailersOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusException se) {
        return se.getTrailers();
      }
      if (c instanceof StatusRuntimeException sre) {
        return sre.getTrailers();
      }
    }
    return null;
  }

  /** True once onError or onCompleted was called. */
  boolean isTerminated() {
    return aborted || completed;
  }

  /** Ends setup: from now on the handlers and flow-control choice are fixed. */
  void freeze() {
    frozen = true;
  }

  boolean autoRequest() {
    return autoRequest;
  }

  void callCancelled() {
    cancelled = true;
    run(onCancelHandler);
  }

  void callCompleted() {
    run(onCloseHandler);
  }

  void callReady() {
    run(onReadyHandler);
  }

  private static void run(Runnable handler) {
    if (handler != null) {
      handler.run();
    }
  }

  @Override
  public boolean isCancelled() {
    return call.isCancelled();
  }

  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public void setOnReadyHandler(Runnable onReadyHandler) {
    checkSetup("setOnReadyHandler");
    this.onReadyHandler = onReadyHandler;
  }

  @Override
  public void setOnCancelHandler(Runnable onCancelHandler) {
    checkSetup("setOnCancelHandler");
    this.onCancelHandler = onCancelHandler;
  }

  @Override
  public void setOnCloseHandler(Runnable onCloseHandler) {
    checkSetup("setOnCloseHandler");
    this.onCloseHandler = onCloseHandler;
  }

  @Override
  public void disableAutoInboundFlowControl() {
    checkSetup("disableAutoInboundFlowControl");
    autoRequest = false;
  }

  private void checkSetup(String method) {
    if (frozen) {
      throw new IllegalStateException(
          method + " may only be called while the service method is first invoked");
    }
  }

  @Override
  public void request(int count) {
    call.request(count);
  }

  @Override
  public void setMessageCompression(boolean enable) {
    call.setMessageCompression(enable);
  }

  @Override
  public void setCompression(String compressorName) {
    call.setCompression(compressorName);
  }

  @Override
  public Deadline getDeadline() {
    return call.getDeadline();
  }
}
