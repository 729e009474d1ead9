package dev.switchboard.api;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Intercepts incoming calls before their handler: may inspect headers, decorate the call and its
 * listener, or close the call early. Implementations are thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
@ConsumerType
public interface ServerInterceptor {
  /**
   * Handles a call on its way to the method's handler: usually returns {@code next.startCall(call,
   * headers)}, possibly with a wrapped call, or wraps the listener it returns. To refuse the call,
   * close it and return a listener that ignores events. Runs on the server's executor; must not
   * block.
   *
   * @param call the call
   * @param headers the request headers
   * @param next the rest of the chain, ending at the method's handler
   * @param <ReqT> request message type
   * @param <RespT> response message type
   * @return the listener for the call's events, not null
   */
  <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next);

  /**
   * Wraps {@code handler} in {@code interceptors}; the first in the list sees the call first.
   *
   * @param handler the handler to wrap
   * @param interceptors the interceptors, in order; the list is read now
   * @param <ReqT> request message type
   * @param <RespT> response message type
   * @return the intercepted handler
   */
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
