/**
 * Test fixtures shared by Switchboard's modules: {@link dev.switchboard.testing.FakeClock} (a
 * ticker plus a scheduled executor that runs tasks only when time is forwarded) and {@link
 * dev.switchboard.testing.NettyLeakExtension} (fails a test when Netty's leak detector reports).
 */
module dev.switchboard.testing {
  requires transitive dev.switchboard.api;
  requires transitive org.junit.jupiter.api;
  requires static io.netty.common; // only NettyLeakExtension needs it
  // Build-time only: OSGi bundle/versioning annotations read by bnd.
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  exports dev.switchboard.testing;
}
