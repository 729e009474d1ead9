package dev.switchboard.interop;

import com.google.protobuf.Duration;
import dev.switchboard.api.stub.ServerCallStreamObserver;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.interop.orca.OpenRcaServiceSwitchboard;
import dev.switchboard.interop.orca.OrcaLoadReport;
import dev.switchboard.interop.orca.OrcaLoadReportRequest;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code xds.service.orca.v3.OpenRcaService}: streams the server's current out-of-band load report
 * (see {@link OrcaReports}) at once and then every {@code report_interval} (at least {@value
 * #MIN_INTERVAL_MILLIS} ms; {@value #DEFAULT_INTERVAL_MILLIS} ms when unset), until the client
 * cancels. All sends happen on the single timer thread.
 */
final class OpenRcaService extends OpenRcaServiceSwitchboard.OpenRcaServiceImplBase {
  static final long MIN_INTERVAL_MILLIS = 100;
  static final long DEFAULT_INTERVAL_MILLIS = 1000;

  private final OrcaReports reports;
  private final ScheduledExecutorService timer;

  OpenRcaService(OrcaReports reports, ScheduledExecutorService timer) {
    this.reports = reports;
    this.timer = timer;
  }

  @Override
  public void streamCoreMetrics(
      OrcaLoadReportRequest request, StreamObserver<OrcaLoadReport> responseObserver) {
    ServerCallStreamObserver<OrcaLoadReport> out =
        (ServerCallStreamObserver<OrcaLoadReport>) responseObserver;
    long intervalMillis = DEFAULT_INTERVAL_MILLIS;
    if (request.hasReportInterval()) {
      Duration d = request.getReportInterval();
      intervalMillis =
          Math.max(MIN_INTERVAL_MILLIS, d.getSeconds() * 1000 + d.getNanos() / 1_000_000);
    }
    AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
    out.setOnCancelHandler(
        () -> {
          ScheduledFuture<?> t = task.getAndSet(null);
          if (t != null) {
            t.cancel(false);
          }
        });
    try {
      // The cancel handler runs on the call's callback thread after this method returned, so it
      // sees the task.
      task.set(
          timer.scheduleAtFixedRate(
              () -> {
                if (!out.isCancelled()) {
                  out.onNext(reports.outOfBand());
                }
              },
              0,
              intervalMillis,
              TimeUnit.MILLISECONDS));
    } catch (RejectedExecutionException e) { // shutting down
      out.onCompleted();
    }
  }
}
