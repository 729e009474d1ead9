package dev.switchboard.api;

/**
 * Starts handling one incoming call. Implementations are thread-safe.
 *
 * @param <ReqT> request type
 * @param <RespT> response type
 * @since 0.1
 */
@FunctionalInterface
public interface ServerCallHandler<ReqT, RespT> {
  /** Returns the listener for the call's events; must not block. */
  ServerCallListener<ReqT> startCall(ServerCall<ReqT, RespT> call, Metadata headers);
}
