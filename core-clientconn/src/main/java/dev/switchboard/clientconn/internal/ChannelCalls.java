package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.spi.ProviderRegistry.Registration;
import dev.switchboard.api.transport.ClientTransportStream;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The call side of a channel: the innermost {@link Channel} of the interceptor chain. It creates
 * {@link ClientStreamImpl}s with the channel's defaults applied, hands their picks to the {@link
 * PickerWrapper} through a {@link RetriableStream} (transparent retry of refused attempts), tracks
 * started calls until they close so that closing the channel can cancel them and termination can
 * wait for them, and remembers which codec each codec name was served by, for the channel's
 * wiring. Thread-safe; the call path takes no lock of its own.
 */
final class ChannelCalls implements Channel, ClientStreamImpl.Host, RetriableStream.Host {
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
  /** Per codec name: the registration last used, or the error of the last failed lookup. */
  private final Map<String, Object> codecsSeen = new ConcurrentHashMap<>();
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
    return new RetriableStream<>(this, method, headers, callOptions, marshaller, callExecutor);
  }

  @Override
  public <ReqT> ClientTransportStream<ReqT> newAttempt(MethodDescriptor<ReqT, ?> method,
      Metadata headers, CallOptions callOptions, Marshaller<ReqT> marshaller,
      ClientTransportStreamListener listener, Executor callExecutor) {
    owner.exitIdleIfNeeded();
    return pickerWrapper.newStream(
        method, headers, callOptions, marshaller, listener, callExecutor);
  }

  @Override
  public void codecLookedUp(String name, Lease<CodecProvider> lease, Status error) {
    Object seen = lease != null ? lease.registration() : error;
    if (codecsSeen.get(name) != seen) {
      codecsSeen.put(name, seen);
    }
  }

  /** The codecs calls looked up, by name: their provider now, or why they were missing. */
  List<ChannelWiring.Component> describeCodecs() {
    List<ChannelWiring.Component> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : new TreeMap<>(codecsSeen).entrySet()) {
      String name = e.getKey();
      Registration<CodecProvider> now = codecRegistry.lookupRegistration(name);
      ChannelWiring.Component.Builder b =
          ChannelWiring.Component.newBuilder(ChannelWiring.Role.CODEC, name);
      if (now != null) {
        b.origin(now.origin()).reason("codec of the calls' methods; "
            + Reasons.ranking(codecRegistry, now));
        if (e.getValue() instanceof Registration<?> used && used.provider() != now.provider()) {
          b.detail("calls started earlier use the one from " + used.origin());
        }
      } else if (e.getValue() instanceof Registration<?> used) {
        b.origin(used.origin()).state(ChannelWiring.State.LOST)
            .reason("codec of the calls' methods")
            .detail("its provider left: calls in flight finish with it, new calls fail");
      } else {
        b.state(ChannelWiring.State.MISSING).reason("codec of the calls' methods")
            .detail(((Status) e.getValue()).getDescription());
      }
      out.add(b.build());
    }
    return out;
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
