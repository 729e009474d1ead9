package dev.switchboard.health;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.switchboard.api.Status;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.health.v1.HealthCheckResponse;
import dev.switchboard.health.v1.HealthCheckResponse.ServingStatus;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@code Watch} call's responses and end, collected for the test thread. */
final class Watching implements StreamObserver<HealthCheckResponse> {
  final BlockingQueue<ServingStatus> statuses = new LinkedBlockingQueue<>();
  final CompletableFuture<Status> closed = new CompletableFuture<>();

  @Override
  public void onNext(HealthCheckResponse value) {
    statuses.add(value.getStatus());
  }

  @Override
  public void onError(Throwable t) {
    closed.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    closed.complete(Status.OK);
  }

  /** The next status, waiting at most 10 s. */
  ServingStatus next() throws InterruptedException {
    ServingStatus s = statuses.poll(10, TimeUnit.SECONDS);
    assertNotNull(s, "no status within 10 s");
    return s;
  }

  Status awaitClose() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }
}
