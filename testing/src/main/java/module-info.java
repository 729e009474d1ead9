/**
 * Test fixtures shared by Switchboard's modules: {@link dev.switchboard.testing.FakeClock} (a
 * ticker plus a scheduled executor that runs tasks only when time is forwarded), {@link
 * dev.switchboard.testing.NettyLeakExtension} (fails a test when Netty's leak detector reports)
 * and {@link dev.switchboard.testing.CapturedLog} (records what a {@code System.Logger} logs).
 */
module dev.switchboard.testing {
  requires transitive dev.switchboard.api;
  requires transitive org.junit.jupiter.api;
  requires static io.netty.common; // only NettyLeakExtension needs it
  requires java.logging; // CapturedLog listens where the default System.Logger backend writes
  // Build-time only: OSGi bundle/versioning annotations read by bnd.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  exports dev.switchboard.testing;
}
