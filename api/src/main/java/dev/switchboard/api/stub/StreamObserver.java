package dev.switchboard.api.stub;

/**
 * Receives a stream of values: any number of {@link #onNext}, then exactly one of {@link
 * #onError} or {@link #onCompleted}. Not thread-safe: calls must not overlap.
 *
 * @param <V> value type
 * @since 0.1
 */
public interface StreamObserver<V> {
  void onNext(V value);

  /** The stream failed; {@code t} is usually a {@code StatusException}/{@code StatusRuntimeException}. */
  void onError(Throwable t);

  void onCompleted();
}
