package dev.switchboard.api.stub;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a stream of values: any number of {@link #onNext}, then exactly one of {@link #onError}
 * or {@link #onCompleted}. Not thread-safe: calls must not overlap.
 *
 * <p>Implemented by applications (response observers on the client, request observers on the
 * server) and by this package (request observers on the client, response observers on the server,
 * see {@link CallStreamObserver}).
 *
 * @param <V> value type
 * @since 0.1
 */
@ConsumerType
public interface StreamObserver<V> {
  /**
   * Receives the next value of the stream. Never called after {@code onError} or {@code
   * onCompleted}.
   *
   * <p>As an application's observer (client responses, server requests) it runs on the call's
   * callback executor, one event at a time; by default the next value is requested from the peer
   * only after it returns. If it throws, the call ends: a client cancels the call and reports the
   * exception to {@code onError}; a server ends the call with the status of a {@code
   * StatusRuntimeException}, else UNKNOWN.
   *
   * <p>On an observer from this package it sends {@code value}; sending while {@link
   * CallStreamObserver#isReady()} is false buffers it. A server's response observer for a streaming
   * method throws a CANCELLED {@code StatusRuntimeException} once the call is cancelled, so that a
   * producer loop stops (see {@link ServerCallStreamObserver}).
   *
   * @param value the value; a message, never null
   * @throws IllegalStateException on an observer from this package after {@code onError} or {@code
   *     onCompleted}
   */
  void onNext(V value);

  /**
   * Ends the stream with a failure; no other method is called after it.
   *
   * <p>An application's client observer gets a {@code StatusRuntimeException} carrying the status
   * and trailers. On an observer from this package, a client's cancels the call, a server's closes
   * it with the status {@link dev.switchboard.api.Status#fromThrowable} finds in {@code t}.
   *
   * @param t the failure: usually a {@code StatusException} or {@code StatusRuntimeException}
   */
  void onError(Throwable t);

  /**
   * Ends the stream successfully; no other method is called after it. An application's client
   * observer gets it when the call closes with OK; on an observer from this package, a client's
   * half-closes the call (no more requests), a server's closes it with OK.
   */
  void onCompleted();
}
