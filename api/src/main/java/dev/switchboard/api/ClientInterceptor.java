package dev.switchboard.api;

/**
 * Intercepts outgoing calls: may decorate the call and its listener (to add headers, log, retry,
 * authenticate) before delegating to {@code next}. Implementations are thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ClientInterceptor {
  <ReqT, RespT> ClientStream<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next);

  /**
   * Wraps {@code channel} so that calls pass through {@code interceptors}; the first in the list
   * sees the call first.
   */
  static Channel intercept(Channel channel, java.util.List<? extends ClientInterceptor> interceptors) {
    Channel c = channel;
    for (int i = interceptors.size() - 1; i >= 0; i--) {
      ClientInterceptor interceptor = interceptors.get(i);
      Channel next = c;
      c = new Channel() {
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
