package dev.switchboard.compiler;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * A channel whose calls answer themselves with the response type's default instance: one response
 * per request when the server streams, else one when the client half-closes; then OK. Respects flow
 * control and runs listener callbacks on the call's executor (so blocking stubs work). Records the
 * method and call options of every call. Public: code compiled by the tests uses it.
 */
public final class LoopbackChannel implements Channel {
  private final List<MethodDescriptor<?, ?>> methods = new CopyOnWriteArrayList<>();
  private final List<CallOptions> callOptions = new CopyOnWriteArrayList<>();

  @Override
  public <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
      MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    methods.add(method);
    callOptions.add(options);
    return new LoopbackStream<>(method, options);
  }

  @Override
  public String authority() {
    return "loopback";
  }

  /** The method of the latest call. */
  public MethodDescriptor<?, ?> lastMethod() {
    return methods.get(methods.size() - 1);
  }

  /** The options of the latest call. */
  public CallOptions lastCallOptions() {
    return callOptions.get(callOptions.size() - 1);
  }

  private static final class LoopbackStream<ReqT, RespT> extends ClientStream<ReqT, RespT> {
    private final MethodDescriptor<ReqT, RespT> method;
    private final Executor executor;
    private final Queue<RespT> responses = new ArrayDeque<>();
    private ClientStreamListener<RespT> listener;
    private int credits;
    private boolean halfClosed;
    private boolean closed;

    LoopbackStream(MethodDescriptor<ReqT, RespT> method, CallOptions options) {
      this.method = method;
      this.executor = options.getExecutor() != null ? options.getExecutor() : Runnable::run;
    }

    @Override
    public synchronized void start(ClientStreamListener<RespT> listener, Metadata headers) {
      this.listener = listener;
    }

    @Override
    public synchronized void request(int numMessages) {
      credits += numMessages;
      deliver();
    }

    @Override
    public synchronized void sendMessage(ReqT message) {
      if (!method.getType().serverSendsOneMessage()) {
        responses.add(defaultResponse());
      }
      deliver();
    }

    @Override
    public synchronized void halfClose() {
      if (method.getType().serverSendsOneMessage()) {
        responses.add(defaultResponse());
      }
      halfClosed = true;
      deliver();
    }

    @Override
    public synchronized void cancel(String message, Throwable cause) {
      if (!closed) {
        closed = true;
        ClientStreamListener<RespT> l = listener;
        executor.execute(
            () ->
                l.onClose(
                    Status.CANCELLED.withDescription(message).withCause(cause), new Metadata()));
      }
    }

    private void deliver() {
      ClientStreamListener<RespT> l = listener;
      while (!closed && credits > 0 && !responses.isEmpty()) {
        credits--;
        RespT response = responses.remove();
        executor.execute(() -> l.onMessage(response));
      }
      if (!closed && halfClosed && responses.isEmpty()) {
        closed = true;
        executor.execute(() -> l.onClose(Status.OK, new Metadata()));
      }
    }

    private RespT defaultResponse() {
      try {
        return method
            .getResponseType()
            .cast(method.getResponseType().getMethod("getDefaultInstance").invoke(null));
      } catch (ReflectiveOperationException e) {
        throw new AssertionError("not a generated message: " + method.getResponseType(), e);
      }
    }
  }
}
