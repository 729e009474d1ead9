package dev.switchboard.telemetry.otel;

/** Tracers never throw: an exception from OpenTelemetry (an exporter, a view) is logged once. */
final class Guard {
  private static final System.Logger LOG = System.getLogger(Guard.class.getName());
  private static volatile boolean logged;

  private Guard() {}

  static void failed(String where, RuntimeException e) {
    if (!logged) {
      logged = true;
      LOG.log(
          System.Logger.Level.WARNING, "OpenTelemetry failed in " + where + " (logged once)", e);
    } else {
      LOG.log(System.Logger.Level.DEBUG, "OpenTelemetry failed in " + where, e);
    }
  }
}
