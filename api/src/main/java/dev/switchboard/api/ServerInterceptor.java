package dev.switchboard.api;

import java.util.List;

/**
 * Intercepts incoming calls before their handler: may inspect headers, decorate the call and its
 * listener, or close the call early. Implementations are thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ServerInterceptor {
  <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next);

  /** Wraps {@code handler} in {@code interceptors}; the first in the list sees the call first. */
  static <ReqT, RespT> ServerCallHandler<ReqT, RespT> intercept(
      ServerCallHandler<ReqT, RespT> handler, List<? extends ServerInterceptor> interceptors) {
    ServerCallHandler<ReqT, RespT> h = handler;
    for (int i = interceptors.size() - 1; i >= 0; i--) {
      ServerInterceptor interceptor = interceptors.get(i);
      ServerCallHandler<ReqT, RespT> next = h;
      h = (call, headers) -> interceptor.interceptCall(call, headers, next);
    }
    return h;
  }
}
