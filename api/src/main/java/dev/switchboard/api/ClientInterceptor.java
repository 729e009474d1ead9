package dev.switchboard.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Intercepts outgoing calls: may decorate the call and its listener (to add headers, log, retry,
 * authenticate) before delegating to {@code next}. Implementations are thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
@ConsumerType
public interface ClientInterceptor {
  /**
   * Creates a call, usually by wrapping {@code next.newStream(method, callOptions)} (possibly with
   * changed options). Runs on the thread that creates the call, and must not block.
   *
   * @param method the method called
   * @param callOptions the call's options, the channel's defaults already merged in
   * @param next the rest of the chain, ending at the channel
   * @param <ReqT> request message type
   * @param <RespT> response message type
   * @return the call to hand to the caller, not null
   */
  <ReqT, RespT> ClientStream<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next);

  /**
   * Wraps {@code channel} so that calls pass through {@code interceptors}; the first in the list
   * sees the call first.
   *
   * @param channel the channel to wrap
   * @param interceptors the interceptors, in order; the list is read now
   * @return a channel with the same authority whose calls go through the interceptors
   */
  static Channel intercept(
      Channel channel, java.util.List<? extends ClientInterceptor> interceptors) {
    Channel c = channel;
    for (int i = interceptors.size() - 1; i >= 0; i--) {
      ClientInterceptor interceptor = interceptors.get(i);
      Channel next = c;
      c =
          new Channel() {
            @Override
            public <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
                MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
              return interceptor.interceptCall(method, callOptions, next);
            }

            @Override
            public String authority() {
              return next.authority();
            }
          };
    }
    return c;
  }
}
