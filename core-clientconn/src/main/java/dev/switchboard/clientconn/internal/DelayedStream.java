package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.PickInfo;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A call attempt's transport stream while its pick waits for a usable picker (grpc-java's delayed
 * stream). It is created started (its listener is given up front); it records what the call does
 * ({@link BufferingStream}) and replays it on the real stream once the {@link PickerWrapper} finds
 * a transport (or fails it). Cancelling before then closes the listener directly and withdraws the
 * call from the picker's queue.
 */
final class DelayedStream<ReqT> extends BufferingStream<ReqT> {
  private final PickerWrapper owner;
  private final MethodDescriptor<ReqT, ?> method;
  private final Metadata headers;
  private final CallOptions callOptions;
  private final Marshaller<ReqT> marshaller;
  private final Executor callExecutor;
  private final PickInfo pickInfo;

  DelayedStream(
      PickerWrapper owner,
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller,
      ClientTransportStreamListener listener,
      Executor callExecutor) {
    this.owner = owner;
    this.method = method;
    this.headers = headers;
    this.callOptions = callOptions;
    this.marshaller = marshaller;
    this.callExecutor = Objects.requireNonNull(callExecutor, "callExecutor");
    this.pickInfo = new PickInfo(method, headers, callOptions);
    listen(listener);
  }

  PickInfo pickInfo() {
    return pickInfo;
  }

  boolean isWaitForReady() {
    return callOptions.isWaitForReady();
  }

  /** Where the real stream is created and buffered operations replayed. */
  Executor callExecutor() {
    return callExecutor;
  }

  /**
   * Creates and starts the real stream behind {@code gate} (entered by the picker, left here), then
   * replays; only leaves the gate when already realized or cancelled.
   */
  void realize(StreamGate gate) {
    boolean installed;
    try {
      installed = install(() -> owner.createOn(gate, method, headers, callOptions, marshaller));
    } finally {
      gate.exit();
    }
    if (installed) {
      drain();
    }
  }

  @Override
  Status cancelledBeforeRealStream(Status reason) {
    owner.withdraw(this);
    return reason;
  }

  /** Not used: a delayed stream is started when created. */
  @Override
  public void start(ClientTransportStreamListener listener) {
    throw new IllegalStateException("a DelayedStream is started when created");
  }
}
