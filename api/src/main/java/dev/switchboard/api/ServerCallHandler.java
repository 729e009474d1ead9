package dev.switchboard.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Starts handling one incoming call. Implementations are thread-safe.
 *
 * @param <ReqT> request type
 * @param <RespT> response type
 * @since 0.1
 */
@FunctionalInterface
@ConsumerType
public interface ServerCallHandler<ReqT, RespT> {
  /**
   * Starts handling a call: runs on the server's executor when the call arrives, before any of its
   * events. Must not block.
   *
   * @param call the call, for requesting, sending and closing
   * @param headers the request headers; the handler owns them
   * @return the listener for the call's events, not null
   */
  ServerCallListener<ReqT> startCall(ServerCall<ReqT, RespT> call, Metadata headers);
}
