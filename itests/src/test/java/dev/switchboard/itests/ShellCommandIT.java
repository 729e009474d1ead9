package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import dev.switchboard.clientconn.ClientConns;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@code switchboard} Gogo commands of the shell bundle ({@code dev.switchboard.shell}), run
 * through Gogo's command processor in Felix: {@code providers} lists the registries with winners
 * and origins, {@code channels} the wiring of live channels, published as services or not.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandIT {
  @Inject BundleContext ctx;

  @Configuration
  public Option[] config() {
    // The shell bundle is one of FelixOptions.SWITCHBOARD; Gogo is the only addition.
    return FelixOptions.switchboard(FelixOptions.jar("org.apache.felix.gogo.runtime"));
  }

  @Test
  public void providersListsEveryRegistryWithWinnersAndOrigins() throws Exception {
    String out = execute("switchboard:providers");
    for (String line : InFramework.PROVIDER_LINES) {
      assertTrue("missing '" + line + "' in:\n" + out, out.contains(line));
    }
  }

  @Test
  public void channelsShowsTheWiringOfLiveAndPublishedChannels() throws Exception {
    List<Server> servers = InFramework.startBackends(2);
    ClientConn conn = null;
    ClientConn unpublished = null;
    ServiceRegistration<ClientConn> published = null;
    try {
      conn =
          ClientConns.newClient(
              InFramework.addresses(servers),
              Loopback.insecure()
                  .defaultServiceConfig("{\"loadBalancingConfig\":[{\"round_robin\":{}}]}")
                  .build());
      InFramework.awaitBackends(conn, 2);
      Dictionary<String, Object> props = new Hashtable<>();
      props.put("switchboard.channel", "orders");
      published = ctx.registerService(ClientConn.class, conn, props);
      // Never published, never connected: listed from ClientConns.liveChannels().
      unpublished =
          ClientConns.newClient(
              "passthrough:///127.0.0.1:" + Loopback.freePort(), Loopback.insecure().build());
      String out = execute("switchboard:channels");
      String ordersLine = "[orders] ClientConn '" + conn.target() + "'";
      String unpublishedLine = "[unpublished] ClientConn '" + unpublished.target() + "' IDLE";
      assertEquals(out, 1, occurrences(out, ordersLine));
      assertEquals(
          "a published live channel is listed once:\n" + out,
          1,
          occurrences(out, "ClientConn '" + conn.target() + "'"));
      assertEquals(out, 1, occurrences(out, unpublishedLine));
      assertTrue("oldest first:\n" + out, out.indexOf(ordersLine) < out.indexOf(unpublishedLine));
      // Each channel's call counters follow its wiring; the unpublished one made no call.
      assertTrue(out, occurrences(out, "  calls: started ") >= 2);
      assertTrue(out, out.contains("  calls: started 0, succeeded 0, failed 0"));
      assertTrue(
          out,
          out.contains(
              "balancer round_robin [ACTIVE] from bundle dev.switchboard.balancer.roundrobin"));
      assertTrue(
          out,
          out.contains(
              "transport netty [ACTIVE] from bundle " + "dev.switchboard.transport.netty"));

      published.unregister();
      published = null;
      out = execute("switchboard:channels");
      assertEquals(out, 1, occurrences(out, "[unpublished] ClientConn '" + conn.target() + "'"));
      assertFalse(out, out.contains("[orders]"));
      assertEquals(out, 1, occurrences(out, unpublishedLine));

      unpublished.close();
      conn.close();
      out = execute("switchboard:channels");
      assertFalse(out, out.contains(conn.target()));
      assertFalse(out, out.contains(unpublished.target()));
    } finally {
      if (published != null) {
        published.unregister();
      }
      if (unpublished != null) {
        unpublished.close();
      }
      InFramework.shutdown(conn, servers);
    }
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      count++;
    }
    return count;
  }

  /** Runs a Gogo command line; returns what it returned (as a string) plus what it printed. */
  private String execute(String commandLine) throws Exception {
    ServiceTracker<CommandProcessor, CommandProcessor> tracker =
        new ServiceTracker<>(ctx, CommandProcessor.class, null);
    tracker.open();
    try {
      CommandProcessor processor = tracker.waitForService(10_000);
      assertNotNull("Gogo command processor", processor);
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
      CommandSession session =
          processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
      try {
        Object result = awaitCommand(session, commandLine);
        return (printed.toString(StandardCharsets.UTF_8) + (result == null ? "" : result)).trim();
      } finally {
        session.close();
      }
    } finally {
      tracker.close();
    }
  }

  /**
   * Runs the command once it is registered: Gogo's own tracker adds a command service while the
   * registration event is delivered, so seeing the service means Gogo has it too.
   */
  private Object awaitCommand(CommandSession session, String commandLine) throws Exception {
    ServiceTracker<Object, Object> commands =
        new ServiceTracker<>(ctx, ctx.createFilter("(osgi.command.scope=switchboard)"), null);
    commands.open();
    try {
      assertNotNull("switchboard commands registered", commands.waitForService(10_000));
    } finally {
      commands.close();
    }
    return session.execute(commandLine);
  }
}
