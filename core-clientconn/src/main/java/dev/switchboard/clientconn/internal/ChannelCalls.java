package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.transport.ClientTransportStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The call side of a channel: the innermost {@link Channel} of the interceptor chain. It creates
 * {@link ClientStreamImpl}s with the channel's defaults applied, hands their picks to the {@link
 * PickerWrapper}, and tracks started calls until they close so that closing the channel can cancel
 * them and termination can wait for them. Thread-safe; the call path takes no lock.
 */
final class ChannelCalls implements Channel, ClientStreamImpl.Host {
  /** Status of calls cancelled, or refused, because the channel is closing. */
  static final Status CLOSING = Status.CANCELLED.withDescription("channel is closing");

  /** What calls need from the rest of the channel. Thread-safe. */
  interface Owner {
    /** A call is about to pick: leave IDLE if the channel is idle. */
    void exitIdleIfNeeded();

    /** The last call closed after {@link #close()}. */
    void callsDrained();
  }

  private final Owner owner;
  private final String authority;
  private final DialOptions options;
  private final Executor defaultExecutor;
  private final ScheduledExecutorService timer;
  private final PickerWrapper pickerWrapper;
  private final CodecRegistry codecRegistry;
  private final CompressorRegistry compressorRegistry;
  private final Set<ClientStreamImpl<?, ?>> calls = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  ChannelCalls(Owner owner, String authority, DialOptions options, Executor defaultExecutor,
      ScheduledExecutorService timer, PickerWrapper pickerWrapper, CodecRegistry codecRegistry,
      CompressorRegistry compressorRegistry) {
    this.owner = owner;
    this.authority = authority;
    this.options = options;
    this.defaultExecutor = defaultExecutor;
    this.timer = timer;
    this.pickerWrapper = pickerWrapper;
    this.codecRegistry = codecRegistry;
    this.compressorRegistry = compressorRegistry;
  }

  /**
   * The dial options' default call options under {@code callOptions}, and the dial options'
   * message size limits where the call sets none.
   */
  static CallOptions withChannelDefaults(CallOptions callOptions, DialOptions options) {
    CallOptions merged = callOptions.withDefaults(options.defaultCallOptions());
    if (merged.getMaxInboundMessageSize() < 0) {
      merged = merged.withMaxInboundMessageSize(options.maxReceiveMessageSize());
    }
    if (merged.getMaxOutboundMessageSize() < 0) {
      merged = merged.withMaxOutboundMessageSize(options.maxSendMessageSize());
    }
    return merged;
  }

  @Override
  public <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    CallOptions merged = withChannelDefaults(callOptions, options);
    Executor executor = merged.getExecutor() != null ? merged.getExecutor()
        : options.executor() != null ? options.executor() : defaultExecutor;
    return new ClientStreamImpl<>(method, merged, this, executor);
  }

  @Override
  public String authority() {
    return authority;
  }

  /** Refuses new calls and cancels the ones in flight, queued ones included. */
  void close() {
    closing = true;
    for (ClientStreamImpl<?, ?> call : calls) {
      call.cancelWith(CLOSING);
    }
    if (calls.isEmpty()) {
      owner.callsDrained();
    }
  }

  boolean hasCalls() {
    return !calls.isEmpty();
  }

  @Override
  public Status registerCall(ClientStreamImpl<?, ?> call) {
    calls.add(call);
    if (closing) {
      unregisterCall(call); // close() may or may not have seen it; either way it is refused
      return CLOSING;
    }
    return null;
  }

  @Override
  public void unregisterCall(ClientStreamImpl<?, ?> call) {
    if (calls.remove(call) && closing && calls.isEmpty()) {
      owner.callsDrained();
    }
  }

  @Override
  public <ReqT> ClientTransportStream<ReqT> newTransportStream(MethodDescriptor<ReqT, ?> method,
      Metadata headers, CallOptions callOptions, Marshaller<ReqT> marshaller,
      Executor callExecutor) {
    owner.exitIdleIfNeeded();
    return pickerWrapper.newStream(method, headers, callOptions, marshaller, callExecutor);
  }

  @Override
  public CodecRegistry codecRegistry() {
    return codecRegistry;
  }

  @Override
  public CompressorRegistry compressorRegistry() {
    return compressorRegistry;
  }

  @Override
  public ScheduledExecutorService timer() {
    return timer;
  }
}
