package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.google.protobuf.StringValue;
import dev.switchboard.api.BindableService;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.Status;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.osgi.server.WhiteboardConstants;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Servers from Configuration Admin in Felix, over real sockets: a factory configuration of {@code
 * dev.switchboard.server} starts a server that serves the whiteboard's services and is published
 * with its bound port and the configuration's properties; a change of a live property keeps the
 * same server, a limit change on the same port restarts it in place, a port change moves it (the
 * old server's in-flight call finishes, then its port refuses connections); deleting the
 * configuration lets an in-flight call finish, then the port refuses; a bad configuration (a bad
 * value, a port in use) is logged and reported by Declarative Services as a failed activation and
 * starts nothing, and a bad update leaves the running server as it was. Metatype describes the
 * factory configuration as consoles show it.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class ServerConfigIT {
  private static final String TLS_DIR = "switchboard.itests.config.tls.dir";
  private static final String COMPONENT_LOGGER =
      "dev.switchboard.osgi.server.internal.ServerComponent";

  @Inject private BundleContext ctx;

  private final EchoService echo = new EchoService("configured");
  private final List<org.osgi.service.cm.Configuration> configs = new ArrayList<>();
  private final List<ClientConn> conns = new ArrayList<>();
  private final BlockingQueue<String> errors = new LinkedBlockingQueue<>();
  private final Handler errorLog =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
            errors.add(r.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private ServiceRegistration<BindableService> echoRegistration;

  @Configuration
  public Option[] config() throws Exception {
    // PEM files made before the framework starts: BouncyCastle does not run inside it.
    Path dir =
        TlsFiles.write(Path.of(System.getProperty("bundles.dir")).resolveSibling("config-tls"));
    return ConfiguredServers.options(systemProperty(TLS_DIR).value(dir.toString()));
  }

  @Before
  public void registerEcho() {
    Logger.getLogger(COMPONENT_LOGGER).addHandler(errorLog);
    echoRegistration = ConfiguredServers.register(ctx, echo::definition);
  }

  @After
  public void cleanUp() throws Exception {
    echo.release.countDown();
    for (ClientConn c : conns) {
      c.close();
    }
    for (org.osgi.service.cm.Configuration c : configs) {
      try {
        c.delete();
      } catch (IllegalStateException alreadyDeleted) {
        // deleted by the test
      }
    }
    echoRegistration.unregister();
    Logger.getLogger(COMPONENT_LOGGER).removeHandler(errorLog);
  }

  @Test
  public void configurationStartsAServerThatServesAndLiveChangesKeepIt() throws Exception {
    int port = Loopback.freePort();
    org.osgi.service.cm.Configuration c =
        create("serves", Map.of("host", "127.0.0.1", "port", String.valueOf(port), "label", "red"));
    ServiceReference<Server> ref = ConfiguredServers.awaitServer(ctx, c.getPid(), "");
    assertEquals(port, ConfiguredServers.port(ref));
    assertEquals("the configuration's properties are published", "red", ref.getProperty("label"));
    assertEquals("127.0.0.1", ref.getProperty("host"));
    Server server = ctx.getService(ref);
    assertEquals(port, server.port());
    assertEquals("configured", InFramework.callId(channel(port)));

    c.update(
        ConfiguredServers.dictionary(
            Map.of(
                "host", "127.0.0.1",
                "port", String.valueOf(port),
                "label", "blue",
                "whiteboard.target", "(|(switchboard.whiteboard=true)(colour=any))")));
    ServiceReference<Server> updated =
        ConfiguredServers.awaitServer(ctx, c.getPid(), "(label=blue)");
    assertSame("no restart for live properties", server, ctx.getService(updated));
    assertFalse(server.isShutdown());
    ClientConn conn = channel(port);
    assertEquals("configured", InFramework.callId(conn));

    // A target the echo service does not match unbinds it, live; the old one binds it again.
    c.update(
        ConfiguredServers.dictionary(
            Map.of(
                "host", "127.0.0.1",
                "port", String.valueOf(port),
                "label", "green",
                "whiteboard.target", "(app=nothing)")));
    ConfiguredServers.awaitServer(ctx, c.getPid(), "(label=green)");
    Status unbound =
        Loopback.call(conn, EchoService.UNARY, deadline(), new Metadata(), str("x")).awaitClose();
    assertEquals(unbound.toString(), Status.Code.UNIMPLEMENTED, unbound.getCode());
    c.update(
        ConfiguredServers.dictionary(
            Map.of("host", "127.0.0.1", "port", String.valueOf(port), "label", "red")));
    ConfiguredServers.awaitServer(ctx, c.getPid(), "(label=red)");
    assertEquals("configured", InFramework.callId(conn));
    assertSame(server, ctx.getService(ConfiguredServers.awaitServer(ctx, c.getPid(), "")));
  }

  @Test
  public void tlsConfigurationServesMutualTlsOnly() throws Exception {
    Path dir = Path.of(System.getProperty(TLS_DIR));
    int port = Loopback.freePort();
    org.osgi.service.cm.Configuration c =
        create(
            "tls",
            Map.of(
                "host",
                "127.0.0.1",
                "port",
                port,
                "tls.certificate",
                dir.resolve("server.pem").toString(),
                "tls.key",
                dir.resolve("server.key").toString(),
                "tls.trust",
                dir.resolve("ca.pem").toString(),
                "tls.client.auth",
                "REQUIRE"));
    ConfiguredServers.awaitServer(ctx, c.getPid(), "");
    byte[] ca = TlsFiles.read(dir, "ca.pem");
    TlsCredentials withCertificate =
        TlsCredentials.newBuilder()
            .rootCertificates(ca)
            .keyPair(TlsFiles.read(dir, "client.pem"), TlsFiles.read(dir, "client.key"))
            .build();
    assertEquals("configured", InFramework.callId(tlsChannel(port, withCertificate)));
    Status refused =
        Loopback.call(
                tlsChannel(port, TlsCredentials.newBuilder().rootCertificates(ca).build()),
                EchoService.UNARY,
                deadline(),
                new Metadata(),
                str("x"))
            .awaitClose();
    assertEquals("no client certificate: refused", Status.Code.UNAVAILABLE, refused.getCode());
  }

  private ClientConn tlsChannel(int port, TlsCredentials tls) {
    ClientConn c =
        ClientConns.newClient(
            "127.0.0.1:" + port,
            DialOptions.newBuilder()
                .credentials(tls)
                .authority(TlsFiles.SERVER_NAME + ":" + port)
                .build());
    conns.add(c);
    return c;
  }

  @Test
  public void portUpdateMovesTheServerAndItsInFlightCallFinishes() throws Exception {
    int first = Loopback.freePort();
    org.osgi.service.cm.Configuration c =
        create("moves", Map.of("host", "127.0.0.1", "port", first, "shutdown.timeout.seconds", 20));
    Server old = ctx.getService(ConfiguredServers.awaitServer(ctx, c.getPid(), ""));
    ClientConn oldConn = channel(first);
    RecordingListener<StringValue> inFlight =
        Loopback.call(oldConn, EchoService.HANG, deadline(), new Metadata(), str("hang"));
    assertEquals("started", echo.events.poll(10, TimeUnit.SECONDS));

    int second = Loopback.freePort();
    c.update(
        ConfiguredServers.dictionary(
            Map.of("host", "127.0.0.1", "port", second, "shutdown.timeout.seconds", 20)));
    ServiceReference<Server> moved =
        ConfiguredServers.awaitServer(
            ctx, c.getPid(), "(" + WhiteboardConstants.SERVER_PORT + "=" + second + ")");
    assertEquals("configured", InFramework.callId(channel(second)));
    assertTrue("the old server is shutting down", old.isShutdown());
    assertFalse(ctx.getService(moved).isShutdown());

    echo.release.countDown();
    Status s = inFlight.awaitClose();
    assertEquals("the in-flight call on the old port finished", Status.OK, s);
    assertEquals(List.of(str("released")), inFlight.messages);
    assertTrue("the old server terminated", ConfiguredServers.terminated(old));
    assertTrue("the old port refuses connections", ConfiguredServers.refuses(first));
  }

  @Test
  public void limitUpdateOnTheSamePortRestartsInPlaceAndTheInFlightCallFinishes() throws Exception {
    int port = Loopback.freePort();
    org.osgi.service.cm.Configuration c =
        create("in-place", Map.of("host", "127.0.0.1", "port", port));
    Server old = ctx.getService(ConfiguredServers.awaitServer(ctx, c.getPid(), ""));
    RecordingListener<StringValue> inFlight =
        Loopback.call(channel(port), EchoService.HANG, deadline(), new Metadata(), str("hang"));
    assertEquals("started", echo.events.poll(10, TimeUnit.SECONDS));

    c.update(
        ConfiguredServers.dictionary(
            Map.of("host", "127.0.0.1", "port", port, "max.inbound.message.size", 64)));
    ServiceReference<Server> restarted =
        ConfiguredServers.awaitServer(ctx, c.getPid(), "(max.inbound.message.size=64)");
    Server now = ctx.getService(restarted);
    assertTrue("a new server", now != old);
    assertEquals(port, now.port());
    ClientConn fresh = channel(port);
    assertEquals("configured", InFramework.callId(fresh));
    Status tooBig =
        Loopback.call(fresh, EchoService.UNARY, deadline(), new Metadata(), str("x".repeat(100)))
            .awaitClose();
    assertEquals("the new limit applies", Status.Code.RESOURCE_EXHAUSTED, tooBig.getCode());

    echo.release.countDown();
    assertEquals("the old server's call finished", Status.OK, inFlight.awaitClose());
    assertTrue(ConfiguredServers.terminated(old));
    assertEquals("configured", InFramework.callId(fresh));
  }

  @Test
  public void deleteLetsTheInFlightCallFinishThenThePortRefuses() throws Exception {
    int port = Loopback.freePort();
    org.osgi.service.cm.Configuration c =
        create("deleted", Map.of("host", "127.0.0.1", "port", port));
    ServiceReference<Server> ref = ConfiguredServers.awaitServer(ctx, c.getPid(), "");
    Server server = ctx.getService(ref);
    RecordingListener<StringValue> inFlight =
        Loopback.call(channel(port), EchoService.HANG, deadline(), new Metadata(), str("hang"));
    assertEquals("started", echo.events.poll(10, TimeUnit.SECONDS));

    CountDownLatch unregistered = new CountDownLatch(1);
    ServiceListener listener =
        e -> {
          if (e.getType() == ServiceEvent.UNREGISTERING) {
            unregistered.countDown();
          }
        };
    ctx.addServiceListener(
        listener, "(" + Constants.SERVICE_ID + "=" + ref.getProperty(Constants.SERVICE_ID) + ")");
    try {
      c.delete();
      assertTrue(
          "the server's service is withdrawn",
          unregistered.await(InFramework.TIMEOUT_MS, TimeUnit.MILLISECONDS));
    } finally {
      ctx.removeServiceListener(listener);
    }
    assertFalse("still draining its call", server.isTerminated());
    echo.release.countDown();
    assertEquals(Status.OK, inFlight.awaitClose());
    assertEquals(List.of(str("released")), inFlight.messages);
    assertTrue("terminated once its call finished", ConfiguredServers.terminated(server));
    assertTrue("the port refuses connections", ConfiguredServers.refuses(port));
  }

  @Test
  public void badConfigurationIsReportedAndStartsNothing() throws Exception {
    org.osgi.service.cm.Configuration bad = create("bad-port", Map.of("port", "abc"));
    String expected = "port: 'abc' is not an integer";
    String logged = awaitError(bad.getPid());
    assertTrue(logged, logged.contains("is invalid, no server started: " + expected));
    String failure = awaitFailedActivation(bad.getPid());
    assertTrue(failure, failure.contains(expected));
    assertNull(
        ctx.getServiceReferences(Server.class, "(service.pid=" + bad.getPid() + ")").stream()
            .findAny()
            .orElse(null));

    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      org.osgi.service.cm.Configuration busy =
          create("busy-port", Map.of("host", "127.0.0.1", "port", taken.getLocalPort()));
      String busyLog = awaitError(busy.getPid());
      assertTrue(
          busyLog, busyLog.contains("cannot start a server on 127.0.0.1:" + taken.getLocalPort()));
      assertTrue(awaitFailedActivation(busy.getPid()).contains("cannot start"));
      assertTrue(
          ctx.getServiceReferences(Server.class, "(service.pid=" + busy.getPid() + ")").isEmpty());
    }

    int port = Loopback.freePort();
    org.osgi.service.cm.Configuration good =
        create("good-then-bad", Map.of("host", "127.0.0.1", "port", port));
    Server server = ctx.getService(ConfiguredServers.awaitServer(ctx, good.getPid(), ""));
    good.update(ConfiguredServers.dictionary(Map.of("host", "127.0.0.1", "port", "-1")));
    String updateLog = awaitError(good.getPid());
    assertTrue(updateLog, updateLog.contains("update is invalid, the server keeps its settings"));
    ServiceReference<Server> still = ConfiguredServers.awaitServer(ctx, good.getPid(), "");
    assertSame(server, ctx.getService(still));
    assertFalse(server.isShutdown());
    assertEquals("configured", InFramework.callId(channel(port)));
  }

  @Test
  public void metatypeDescribesTheServerConfigurationForConsoles() throws Exception {
    ServiceTracker<MetaTypeService, MetaTypeService> t =
        new ServiceTracker<>(ctx, MetaTypeService.class, null);
    t.open();
    try {
      MetaTypeService metatype = t.waitForService(InFramework.TIMEOUT_MS);
      assertNotNull("Metatype is running", metatype);
      MetaTypeInformation info =
          metatype.getMetaTypeInformation(InFramework.bundle(ctx, "osgi-server"));
      assertEquals(List.of(WhiteboardConstants.SERVER_FACTORY_PID), List.of(info.getFactoryPids()));
      ObjectClassDefinition ocd =
          info.getObjectClassDefinition(WhiteboardConstants.SERVER_FACTORY_PID, null);
      Map<String, AttributeDefinition> attributes = new java.util.TreeMap<>();
      for (AttributeDefinition a : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
        attributes.put(a.getID(), a);
      }
      assertEquals(AttributeDefinition.INTEGER, attributes.get(WhiteboardConstants.PORT).getType());
      assertEquals(
          AttributeDefinition.PASSWORD,
          attributes.get(WhiteboardConstants.TLS_KEY_PASSWORD).getType());
      assertEquals(
          List.of(WhiteboardConstants.DEFAULT_TARGET),
          List.of(attributes.get(WhiteboardConstants.WHITEBOARD_TARGET).getDefaultValue()));
      assertEquals(
          List.of("default", "direct"),
          List.of(attributes.get(WhiteboardConstants.EXECUTOR).getOptionValues()));
      assertEquals(22, attributes.size());
    } finally {
      t.close();
    }
  }

  private org.osgi.service.cm.Configuration create(String name, Map<String, ?> props)
      throws Exception {
    org.osgi.service.cm.Configuration c = ConfiguredServers.create(ctx, name, props);
    configs.add(c);
    return c;
  }

  private ClientConn channel(int port) {
    ClientConn c = ClientConns.newClient("127.0.0.1:" + port, Loopback.insecure().build());
    conns.add(c);
    return c;
  }

  /** The next ERROR the server component logs about configuration {@code pid}. */
  private String awaitError(String pid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(InFramework.TIMEOUT_MS);
    while (System.nanoTime() < deadline) {
      String m = errors.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (m != null && m.contains(pid)) {
        return m;
      }
    }
    throw new AssertionError("no ERROR logged for " + pid);
  }

  /**
   * The failure Declarative Services reports for the component configuration of {@code pid}: DS
   * records it right after the component logged (awaitError), so a short wait paced by the log
   * queue suffices.
   */
  private String awaitFailedActivation(String pid) throws Exception {
    ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> t =
        new ServiceTracker<>(ctx, ServiceComponentRuntime.class, null);
    t.open();
    try {
      ServiceComponentRuntime scr = t.waitForService(InFramework.TIMEOUT_MS);
      assertNotNull(scr);
      ComponentDescriptionDTO description =
          scr.getComponentDescriptionDTO(
              InFramework.bundle(ctx, "osgi-server"), WhiteboardConstants.SERVER_FACTORY_PID);
      assertNotNull("the server component is declared", description);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(InFramework.TIMEOUT_MS);
      while (System.nanoTime() < deadline) {
        for (ComponentConfigurationDTO dto : scr.getComponentConfigurationDTOs(description)) {
          if (pid.equals(dto.properties.get(Constants.SERVICE_PID))
              && dto.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
            return dto.failure;
          }
        }
        errors.poll(20, TimeUnit.MILLISECONDS); // a bounded pause that any new error cuts short
      }
      throw new AssertionError("DS reports no failed activation for " + pid);
    } finally {
      t.close();
    }
  }

  private static CallOptions deadline() {
    return CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
  }
}
