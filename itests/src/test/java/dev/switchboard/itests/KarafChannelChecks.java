package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.BundleContext;

/**
 * The check of {@link KarafFeatureIT} for channels from configuration, as a Karaf user makes one: a
 * {@code dev.switchboard.channel-<name>.cfg} file dropped into {@code etc/} (Karaf's fileinstall
 * turns it into a factory configuration) publishes a channel service that calls a server and that
 * {@code switchboard:channels} lists by name, and removing the file removes the channel. Kept out
 * of the test class: it uses Switchboard types, which the probe sees only once the features are
 * installed.
 */
final class KarafChannelChecks {
  private KarafChannelChecks() {}

  static void cfgFileInEtcMakesAWorkingChannel(BundleContext ctx) throws Exception {
    List<Server> servers = InFramework.startBackends(1);
    Path cfg = Path.of(System.getProperty("karaf.etc"), "dev.switchboard.channel-karaf.cfg");
    try (ChannelServices.Tracked karaf = ChannelServices.track(ctx, "karaf")) {
      Files.writeString(
          cfg,
          "name = karaf\n"
              + "target = "
              + Loopback.target(servers.get(0))
              + "\n"
              + "plaintext = true\n"
              + "retire.delay = 100ms\n",
          StandardCharsets.UTF_8);
      ClientConn conn = karaf.awaitChannel();
      assertEquals("backend-0", InFramework.callId(conn));
      assertEquals(
          "dev.switchboard.channel", karaf.getServiceReference().getProperty("service.factoryPid"));
      String channels = KarafShell.execute(ctx, "switchboard:channels");
      assertTrue(channels, channels.contains("[karaf] ClientConn '" + conn.target() + "'"));

      Files.delete(cfg);
      karaf.awaitGone();
    } finally {
      Files.deleteIfExists(cfg);
      InFramework.shutdown(null, servers);
    }
  }
}
