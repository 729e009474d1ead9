package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.Status;
import dev.switchboard.api.channelz.CallCounters;
import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.CompressorRegistry;
import dev.switchboard.api.spi.ProviderRegistry.Lease;
import dev.switchboard.api.spi.ProviderRegistry.Registration;
import dev.switchboard.api.telemetry.ClientCallTracer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the calls of one channel share, and the calls in flight. Every {@link ClientStreamImpl}
 * holds this: the registries it finds its codec and compressor in, the timer for its deadline, the
 * {@link PickerWrapper} its attempts pick with, and the set of started calls that the channel's
 * shutdown refuses new ones beside ({@link #refuse}), {@code shutdownNow()} cancels, termination
 * and a graceful shutdown wait for, and the {@link IdleTimer} looks at. The last call in flight to
 * end tells the idle timer (or, once the channel is shut down, the channel). It also remembers
 * which codec each codec name was served by, for the channel's wiring.
 *
 * <p>Thread-safe; the call path takes no lock here (a concurrent set and map).
 */
final class ChannelCalls {
  private final ChannelContext ctx;
  private final PickerWrapper pickerWrapper;
  // Copied from the context: read by every call.
  private final CodecRegistry codecRegistry;
  private final CompressorRegistry compressorRegistry;
  private final ScheduledExecutorService timer;
  private final ReplayBudget replayBudget;
  private final long perCallReplayLimit;
  private final IdleTimer idleTimer;
  private final CallCounters counters;
  private final ClientTelemetry telemetry;
  private final String target;
  private final Set<ClientStreamImpl<?, ?>> calls = ConcurrentHashMap.newKeySet();

  /** Per codec name: the registration last used, or the error of the last failed lookup. */
  private final Map<String, Object> codecsSeen = new ConcurrentHashMap<>();

  /** Why new calls are refused (the channel is shut down), or null. */
  private volatile Status refusal;

  ChannelCalls(ChannelContext ctx, PickerWrapper pickerWrapper, IdleTimer idleTimer) {
    this.ctx = ctx;
    this.pickerWrapper = pickerWrapper;
    this.idleTimer = idleTimer;
    this.counters = ctx.channelz().calls();
    this.codecRegistry = ctx.codecRegistry();
    this.compressorRegistry = ctx.compressorRegistry();
    this.timer = ctx.env().timer();
    this.replayBudget = new ReplayBudget(ctx.options().retryBufferLimits().channelBytes());
    this.perCallReplayLimit = ctx.options().retryBufferLimits().perCallBytes();
    this.telemetry = new ClientTelemetry(ctx.options());
    this.target = ctx.target().original();
  }

  /** {@return the tracer factories a call starting now asks; empty (and free) without any} */
  List<ClientCallTracer.Factory> tracerFactories() {
    return telemetry.factories();
  }

  /** {@return the channel's target as the application gave it} */
  String target() {
    return target;
  }

  /** A new call's buffer for retries and hedging, within the channel's limits. */
  <ReqT> ReplayBuffer<ReqT> newReplayBuffer() {
    return new ReplayBuffer<>(replayBudget, perCallReplayLimit);
  }

  /** The channel's replay bytes in use, for tests. */
  ReplayBudget replayBudget() {
    return replayBudget;
  }

  CodecRegistry codecRegistry() {
    return codecRegistry;
  }

  CompressorRegistry compressorRegistry() {
    return compressorRegistry;
  }

  /** Fires deadlines; they only cancel streams. */
  ScheduledExecutorService timer() {
    return timer;
  }

  /** Where a call's attempts get their transport streams. */
  PickerWrapper pickerWrapper() {
    return pickerWrapper;
  }

  /** A call started (refused or not): counted for channelz. Any thread, no lock. */
  void callStarted() {
    counters.callStarted();
  }

  /** A call's listener was closed with an OK status or not: counted for channelz. */
  void callEnded(boolean ok) {
    counters.callEnded(ok);
  }

  /**
   * Tracks a starting call until {@link #unregister}; returns why it is refused (and does not track
   * it) when the channel is shut down, else null.
   */
  Status register(ClientStreamImpl<?, ?> call) {
    calls.add(call);
    Status refused = refusal;
    if (refused != null) {
      unregister(call); // the shutdown may or may not have seen it; either way it is refused
      return refused;
    }
    return null;
  }

  /**
   * The call's listener was closed. The last call in flight tells the idle timer, or the channel
   * once it is shut down; either reads the set again, so a call starting meanwhile is seen.
   */
  void unregister(ClientStreamImpl<?, ?> call) {
    if (calls.remove(call) && calls.isEmpty()) {
      if (refusal != null) {
        ctx.callsDrained();
      } else {
        idleTimer.callsEnded();
      }
    }
  }

  /**
   * Refuses new calls with {@code status} from now on; the channel is shut down. A shutdown then
   * reads {@link #hasCalls()}, and a call ending after that read sees the refusal and tells it.
   */
  void refuse(Status status) {
    refusal = status;
  }

  /** Cancels the calls in flight, queued ones included. */
  void cancelAll(Status status) {
    for (ClientStreamImpl<?, ?> call : calls) {
      call.cancelWith(status);
    }
  }

  boolean hasCalls() {
    return !calls.isEmpty();
  }

  /** A call found its codec through the registry ({@code lease}) or not ({@code error}). */
  void codecLookedUp(String name, Lease<CodecProvider> lease, Status error) {
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
        b.origin(now.origin())
            .reason("codec of the calls' methods; " + Reasons.ranking(codecRegistry, now));
        if (e.getValue() instanceof Registration<?> used && used.provider() != now.provider()) {
          b.detail("calls started earlier use the one from " + used.origin());
        }
      } else if (e.getValue() instanceof Registration<?> used) {
        b.origin(used.origin())
            .state(ChannelWiring.State.LOST)
            .reason("codec of the calls' methods")
            .detail("its provider left: calls in flight finish with it, new calls fail");
      } else {
        b.state(ChannelWiring.State.MISSING)
            .reason("codec of the calls' methods")
            .detail(((Status) e.getValue()).getDescription());
      }
      out.add(b.build());
    }
    return out;
  }
}
