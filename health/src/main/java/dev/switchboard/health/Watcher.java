package dev.switchboard.health;

import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ServerCallStreamObserver;
import dev.switchboard.health.v1.HealthCheckResponse;
import dev.switchboard.health.v1.HealthCheckResponse.ServingStatus;

/**
 * One {@code Watch} call: sends each status to the client, or, while the call is not ready (the
 * client does not read), keeps only the latest one and sends it once the call is ready again. So a
 * status flipping fast never queues more than one message per watcher.
 *
 * <p>Thread-safe: {@link #send} is called under the manager's lock (then this one's); the call's
 * readiness runs on the call's executor with this one only.
 */
final class Watcher {
  private final ServerCallStreamObserver<HealthCheckResponse> observer;

  // Guarded by this.
  private ServingStatus pending;
  private boolean sentOne;
  private boolean finished;

  Watcher(ServerCallStreamObserver<HealthCheckResponse> observer) {
    this.observer = observer;
  }

  /** Called once the call's handlers are set: sends a status held back while it was not ready. */
  void onReady() {
    synchronized (this) {
      if (pending != null && !finished && observer.isReady()) {
        ServingStatus status = pending;
        pending = null;
        observer.onNext(response(status));
      }
    }
  }

  synchronized void send(ServingStatus status) {
    if (finished) {
      return;
    }
    // The first status always goes out (one message), later ones only when the call is ready.
    if (!sentOne || observer.isReady()) {
      sentOne = true;
      pending = null;
      observer.onNext(response(status));
    } else {
      pending = status;
    }
  }

  /** The server is shutting down: sends a held-back status, then ends the call. */
  synchronized void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (pending != null) {
      observer.onNext(response(pending));
      pending = null;
    }
    observer.onError(
        Status.UNAVAILABLE.withDescription("server is shutting down").asRuntimeException());
  }

  /** The call ended (cancelled by the client): nothing more is sent. */
  synchronized void cancelled() {
    finished = true;
    pending = null;
  }

  private static HealthCheckResponse response(ServingStatus status) {
    return HealthCheckResponse.newBuilder().setStatus(status).build();
  }
}
