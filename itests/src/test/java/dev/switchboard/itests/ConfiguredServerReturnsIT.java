package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;

import dev.switchboard.api.BindableService;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import dev.switchboard.clientconn.ClientConns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * A server from Configuration Admin whose transport leaves and comes back, in Felix over real
 * sockets: when the transport bundle stops (or is uninstalled and the framework refreshed) the
 * server shuts down once its lease is revoked, its {@link Server} service is withdrawn and its port
 * refuses connections; when the bundle is started (installed) again the component starts a new
 * server on the configured port by itself, with the whiteboard's services bound again, publishes
 * it, and a new channel's call to that port is answered.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class ConfiguredServerReturnsIT {
  @Inject private BundleContext ctx;

  private final EchoService echo = new EchoService("configured");
  private final List<ClientConn> conns = new ArrayList<>();
  private ServiceRegistration<BindableService> echoRegistration;
  private org.osgi.service.cm.Configuration config;
  private String nettyLocation; // the transport bundle's, while it is uninstalled

  @Configuration
  public Option[] config() {
    return ConfiguredServers.options();
  }

  @Before
  public void registerEcho() {
    echoRegistration = ConfiguredServers.register(ctx, echo::definition);
  }

  @After
  public void cleanUp() throws Exception {
    for (ClientConn c : conns) {
      c.close();
    }
    if (config != null) {
      config.delete();
    }
    echoRegistration.unregister();
    if (nettyLocation != null) {
      ctx.installBundle(nettyLocation).start();
    }
    Bundle netty = InFramework.bundle(ctx, "transport-netty");
    if (netty.getState() != Bundle.ACTIVE) {
      netty.start();
    }
  }

  @Test
  public void transportStoppedAndStartedAgainBringsTheServerBack() throws Exception {
    int port = Loopback.freePort();
    Server first = configure("stop-start", port);

    Bundle netty = InFramework.bundle(ctx, "transport-netty");
    CountDownLatch withdrawn = awaitWithdrawal(config.getPid());
    netty.stop();
    assertDown(first, port, withdrawn);

    netty.start();
    assertBack(first, port);
  }

  @Test
  public void transportUninstalledRefreshedAndInstalledAgainBringsTheServerBack() throws Exception {
    int port = Loopback.freePort();
    Server first = configure("uninstall-install", port);

    Bundle netty = InFramework.bundle(ctx, "transport-netty");
    nettyLocation = netty.getLocation();
    CountDownLatch withdrawn = awaitWithdrawal(config.getPid());
    netty.uninstall();
    assertDown(first, port, withdrawn);
    refresh();
    assertTrue("still refused after the refresh", ConfiguredServers.refuses(port));

    ctx.installBundle(nettyLocation).start();
    nettyLocation = null;
    assertBack(first, port);
  }

  /** Configures a server on {@code port}, checks it serves, and returns it. */
  private Server configure(String name, int port) throws Exception {
    config =
        ConfiguredServers.create(
            ctx, name, Map.of("host", "127.0.0.1", "port", String.valueOf(port)));
    ServiceReference<Server> ref = ConfiguredServers.awaitServer(ctx, config.getPid(), "");
    assertEquals(port, ConfiguredServers.port(ref));
    assertEquals("configured", InFramework.callId(channel(port)));
    return ctx.getService(ref);
  }

  /** The server is down: shut down, terminated, its service withdrawn, its port refusing. */
  private static void assertDown(Server server, int port, CountDownLatch withdrawn)
      throws Exception {
    assertTrue("server shut down once the transport left", server.isShutdown());
    assertTrue("server terminated", ConfiguredServers.terminated(server));
    assertTrue(
        "server service withdrawn", withdrawn.await(InFramework.TIMEOUT_MS, TimeUnit.MILLISECONDS));
    assertTrue("nothing listens on the configured port", ConfiguredServers.refuses(port));
  }

  /** A new server is published on the configured port and a new channel's call is answered. */
  private void assertBack(Server first, int port) throws Exception {
    ServiceReference<Server> ref = ConfiguredServers.awaitServer(ctx, config.getPid(), "");
    assertEquals("the configured port again", port, ConfiguredServers.port(ref));
    Server again = ctx.getService(ref);
    assertNotSame("a new server", first, again);
    assertEquals(port, again.port());
    assertEquals(
        "the whiteboard's service is bound again", "configured", InFramework.callId(channel(port)));
  }

  /** Counts down once configuration {@code pid}'s server service is unregistered. */
  private CountDownLatch awaitWithdrawal(String pid) throws Exception {
    CountDownLatch withdrawn = new CountDownLatch(1);
    ServiceListener listener =
        new ServiceListener() {
          @Override
          public void serviceChanged(ServiceEvent e) {
            if (e.getType() == ServiceEvent.UNREGISTERING) {
              withdrawn.countDown();
              ctx.removeServiceListener(this);
            }
          }
        };
    ctx.addServiceListener(
        listener,
        "(&("
            + Constants.OBJECTCLASS
            + "="
            + Server.class.getName()
            + ")(service.pid="
            + pid
            + "))");
    return withdrawn;
  }

  private ClientConn channel(int port) {
    ClientConn c = ClientConns.newClient("127.0.0.1:" + port, Loopback.insecure().build());
    conns.add(c);
    return c;
  }

  /** Refreshes every bundle pending removal and waits for the framework to say it is done. */
  private void refresh() throws InterruptedException {
    FrameworkWiring wiring = ctx.getBundle(0).adapt(FrameworkWiring.class);
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<FrameworkEvent> event = new AtomicReference<>();
    wiring.refreshBundles(
        null,
        e -> {
          event.set(e);
          done.countDown();
        });
    assertTrue("refresh done", done.await(InFramework.TIMEOUT_MS, TimeUnit.MILLISECONDS));
    assertEquals(
        "refresh: " + event.get().getThrowable(),
        FrameworkEvent.PACKAGES_REFRESHED,
        event.get().getType());
  }
}
