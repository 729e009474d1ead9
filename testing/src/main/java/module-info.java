/**
 * Test fixtures shared by Switchboard's modules: {@link dev.switchboard.testing.FakeClock} (a
 * ticker plus a scheduled executor that runs tasks only when time is forwarded), {@link
 * dev.switchboard.testing.NettyLeakExtension} (fails a test when Netty's leak detector reports),
 * {@link dev.switchboard.testing.UncaughtErrorsExtension} (fails a test when an error was caught
 * and only logged on another thread) and {@link dev.switchboard.testing.CapturedLog} (records what
 * a {@code System.Logger} logs).
 */
module dev.switchboard.testing {
  requires transitive dev.switchboard.api;
  requires transitive org.junit.jupiter.api;
  // UncaughtErrors and CapturedLog listen where the default System.Logger backend writes.
  requires java.logging;
  requires static io.netty.common; // only the Netty parts of the extensions need it
  requires static org.bouncycastle.pkix; // only TestCertificates needs them
  requires static org.bouncycastle.provider;
  requires static org.bouncycastle.util;
  // Build-time only: OSGi bundle/versioning annotations read by bnd.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  exports dev.switchboard.testing;
}
