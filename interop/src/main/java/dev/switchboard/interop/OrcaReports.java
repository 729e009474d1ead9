package dev.switchboard.interop;

import dev.switchboard.interop.orca.OrcaLoadReport;
import dev.switchboard.interop.proto.Messages.TestOrcaReport;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The interop server's backend metrics (ORCA): a request's {@code TestOrcaReport} turned into the
 * {@code xds.data.orca.v3.OrcaLoadReport} the client's load-reporting policy reads, and the current
 * out-of-band report that {@link OpenRcaService} streams.
 */
final class OrcaReports {
  /** The trailer carrying a call's load report (binary: the serialized OrcaLoadReport). */
  static final String PER_CALL_TRAILER = "endpoint-load-metrics-bin";

  private final AtomicReference<OrcaLoadReport> outOfBand =
      new AtomicReference<>(OrcaLoadReport.getDefaultInstance());

  /** The per-call report for {@code report}: utilizations and request costs. */
  static OrcaLoadReport perCall(TestOrcaReport report) {
    return OrcaLoadReport.newBuilder()
        .setCpuUtilization(report.getCpuUtilization())
        .setMemUtilization(report.getMemoryUtilization())
        .putAllRequestCost(report.getRequestCostMap())
        .putAllUtilization(report.getUtilizationMap())
        .build();
  }

  /** Replaces the out-of-band report: utilizations only (request costs are per call). */
  void setOutOfBand(TestOrcaReport report) {
    outOfBand.set(
        OrcaLoadReport.newBuilder()
            .setCpuUtilization(report.getCpuUtilization())
            .setMemUtilization(report.getMemoryUtilization())
            .putAllUtilization(report.getUtilizationMap())
            .build());
  }

  OrcaLoadReport outOfBand() {
    return outOfBand.get();
  }
}
