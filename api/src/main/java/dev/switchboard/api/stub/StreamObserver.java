package dev.switchboard.api.stub;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a stream of values: any number of {@link #onNext}, then exactly one of {@link
 * #onError} or {@link #onCompleted}. Not thread-safe: calls must not overlap.
 *
 * <p>Implemented by applications (response observers on the client, request observers on the
 * server) and by this package (request observers on the client, response observers on the
 * server, see {@link CallStreamObserver}).
 *
 * @param <V> value type
 * @since 0.1
 */
@ConsumerType
public interface StreamObserver<V> {
  void onNext(V value);

  /** The stream failed; {@code t} is usually a {@code StatusException}/{@code StatusRuntimeException}. */
  void onError(Throwable t);

  void onCompleted();
}
