package dev.switchboard.osgi.channel.internal;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientInterceptor;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.MethodDescriptor;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A channel's interceptors as its one {@link ClientInterceptor}: each call goes through the list
 * its source holds when the call is created (the first sees it first), so interceptors arriving or
 * leaving apply to calls created from then on. The source must hand out immutable lists, a new one
 * for each change; the chain built over a list is kept until the list or the channel behind
 * changes, so a call allocates nothing here. One per channel. Thread-safe.
 */
final class InterceptorChain implements ClientInterceptor {
  private final Supplier<List<ClientInterceptor>> source;

  /** The last chain built, with what it was built from. */
  private volatile Built built = new Built(List.of(), null, null);

  private record Built(List<ClientInterceptor> interceptors, Channel next, Channel head) {}

  InterceptorChain(Supplier<List<ClientInterceptor>> source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  @Override
  public <ReqT, RespT> ClientStream<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    List<ClientInterceptor> interceptors = source.get();
    if (interceptors.isEmpty()) {
      return next.newStream(method, callOptions);
    }
    Built b = built;
    if (b.interceptors() != interceptors || b.next() != next) {
      b = new Built(interceptors, next, ClientInterceptor.intercept(next, interceptors));
      built = b;
    }
    return b.head().newStream(method, callOptions);
  }
}
