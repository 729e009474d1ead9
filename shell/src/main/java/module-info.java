/**
 * The {@code switchboard} Gogo shell commands, {@code switchboard:providers} and {@code
 * switchboard:channels}: a Declarative Services component for any OSGi container with SCR and a
 * Gogo shell (Felix, Karaf). It needs no Gogo type, so it is harmless without a shell. Outside a
 * framework the same reports are plain static methods of {@link dev.switchboard.shell.Reports}.
 */
module dev.switchboard.shell {
  // ClientConn appears in Reports' signatures.
  requires transitive dev.switchboard.api;
  // ClientConns.liveChannels() for switchboard:channels.
  requires dev.switchboard.core.clientconn;
  // Build-time only: DS annotations turned into OSGI-INF XML by bnd, bundle/versioning annotations.
  requires static org.osgi.service.component.annotations;
  requires static org.osgi.annotation.versioning;
  requires static org.osgi.annotation.bundle;

  exports dev.switchboard.shell;
}
