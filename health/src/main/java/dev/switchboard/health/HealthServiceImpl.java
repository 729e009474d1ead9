package dev.switchboard.health;

import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ServerCallStreamObserver;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.health.v1.HealthCheckRequest;
import dev.switchboard.health.v1.HealthCheckResponse;
import dev.switchboard.health.v1.HealthCheckResponse.ServingStatus;
import dev.switchboard.health.v1.HealthSwitchboard;

/** The {@code grpc.health.v1.Health} service over a {@link HealthStatusManager}'s statuses. */
final class HealthServiceImpl extends HealthSwitchboard.HealthImplBase {
  private final HealthStatusManager manager;

  HealthServiceImpl(HealthStatusManager manager) {
    this.manager = manager;
  }

  @Override
  public void check(
      HealthCheckRequest request, StreamObserver<HealthCheckResponse> responseObserver) {
    ServingStatus status = manager.status(request.getService());
    if (status == null) {
      responseObserver.onError(
          Status.NOT_FOUND
              .withDescription("unknown service " + request.getService())
              .asRuntimeException());
      return;
    }
    responseObserver.onNext(HealthCheckResponse.newBuilder().setStatus(status).build());
    responseObserver.onCompleted();
  }

  @Override
  public void watch(
      HealthCheckRequest request, StreamObserver<HealthCheckResponse> responseObserver) {
    ServerCallStreamObserver<HealthCheckResponse> call =
        (ServerCallStreamObserver<HealthCheckResponse>) responseObserver;
    String service = request.getService();
    Watcher watcher = new Watcher(call);
    // Handlers first: the call may be cancelled, or become ready, as soon as it is watched.
    call.setOnCancelHandler(
        () -> {
          watcher.cancelled();
          manager.removeWatcher(service, watcher);
        });
    call.setOnReadyHandler(watcher::onReady);
    if (!manager.addWatcher(service, watcher)) {
      watcher.cancelled();
      call.onError(
          Status.RESOURCE_EXHAUSTED
              .withDescription("too many health watchers on this server")
              .asRuntimeException());
    }
  }
}
