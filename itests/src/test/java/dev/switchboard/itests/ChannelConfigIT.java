package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.ClientInterceptor;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.Status;
import dev.switchboard.api.TlsCredentials;
import dev.switchboard.osgi.channel.ChannelProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
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
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Channels from Configuration Admin in Felix (with Felix ConfigAdmin and Metatype): a factory
 * configuration publishes a channel service that calls a server over a real socket; a new default
 * service config switches pick_first to round_robin live under load with no failed call; a new
 * target replaces the channel under load with no failed call; deleting the configuration under load
 * unregisters the channel and lets the calls in flight finish; a bad configuration is logged and
 * changes nothing; interceptors come from services an LDAP filter selects, in ranking order; a
 * mutual-TLS channel reads its trust, certificate and key from files (made before the framework
 * starts, {@link TlsFiles}); stopping the bundle shuts its channels down, starting it makes them
 * again from their configurations.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class ChannelConfigIT {
  private static final String ROUND_ROBIN = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";
  private static final int THREADS = 4;

  @Inject BundleContext ctx;
  @Inject ConfigurationAdmin configAdmin;
  @Inject MetaTypeService metaTypes;

  /** Where {@link #config()} wrote the TLS files ({@link TlsFiles}: no BouncyCastle in Felix). */
  private static final String TLS_DIR = "switchboard.itests.channel.tls.dir";

  @Configuration
  public Option[] config() throws Exception {
    Path tls =
        TlsFiles.write(
            Path.of(System.getProperty("bundles.dir")).resolveSibling("felix-channel-tls"));
    return FelixOptions.switchboard(
        systemProperty(TLS_DIR).value(tls.toString()),
        FelixOptions.jar("org.apache.felix.configadmin"),
        FelixOptions.jar("org.osgi.service.log"),
        FelixOptions.jar("org.apache.felix.metatype"));
  }

  /** The configuration of a plaintext channel {@code name} to {@code target}. */
  private static Dictionary<String, Object> channel(String name, String target, String... more) {
    Dictionary<String, Object> d = new Hashtable<>();
    d.put(ChannelProperties.NAME, name);
    d.put(ChannelProperties.TARGET, target);
    d.put(ChannelProperties.PLAINTEXT, "true");
    d.put(ChannelProperties.RETIRE_DELAY, "300ms");
    for (int i = 0; i < more.length; i += 2) {
      d.put(more[i], more[i + 1]);
    }
    return d;
  }

  private org.osgi.service.cm.Configuration configure(String name, Dictionary<String, Object> d)
      throws Exception {
    org.osgi.service.cm.Configuration c =
        configAdmin.getFactoryConfiguration(ChannelProperties.FACTORY_PID, name, "?");
    c.update(d);
    return c;
  }

  private static String staticTarget(List<Server> servers) {
    StringBuilder b = new StringBuilder("static:///");
    for (Server s : servers) {
      b.append(b.length() > "static:///".length() ? "," : "").append("127.0.0.1:").append(s.port());
    }
    return b.toString();
  }

  private static Object serviceId(ServiceReference<?> ref) {
    return ref.getProperty(Constants.SERVICE_ID);
  }

  @Test
  public void aConfigurationPublishesAWorkingChannelWithItsProperties() throws Exception {
    List<Server> servers = InFramework.startBackends(1);
    org.osgi.service.cm.Configuration c = null;
    try (ChannelServices.Tracked basic = ChannelServices.track(ctx, "basic")) {
      c = configure("basic", channel("basic", Loopback.target(servers.get(0)), "team", "payments"));
      ClientConn conn = basic.awaitChannel();
      ServiceReference<ClientConn> ref = basic.getServiceReference();
      assertEquals(
          Set.of(ClientConn.class.getName(), Channel.class.getName()),
          Set.copyOf(Arrays.asList((String[]) ref.getProperty(Constants.OBJECTCLASS))));
      assertEquals("payments", ref.getProperty("team"));
      assertEquals(c.getPid(), ref.getProperty(Constants.SERVICE_PID));
      assertEquals("backend-0", InFramework.callId(conn));

      // The Metatype form consoles show.
      MetaTypeInformation info =
          metaTypes.getMetaTypeInformation(InFramework.bundle(ctx, "osgi-channel"));
      assertTrue(Arrays.asList(info.getFactoryPids()).contains(ChannelProperties.FACTORY_PID));
      ObjectClassDefinition ocd =
          info.getObjectClassDefinition(ChannelProperties.FACTORY_PID, null);
      Set<String> ids = new TreeSet<>();
      for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
        ids.add(ad.getID());
      }
      assertEquals(new TreeSet<>(ChannelProperties.ALL), ids);
    } finally {
      delete(c);
      InFramework.shutdown(null, servers);
    }
  }

  @Test
  public void mutualTlsFromFilesWithAnAuthorityOverride() throws Exception {
    Path dir = Path.of(System.getProperty(TLS_DIR));
    Server server =
        Loopback.start(
            new EchoService("secure"),
            ServerOptions.newBuilder()
                .credentials(
                    TlsCredentials.newBuilder()
                        .keyPair(TlsFiles.read(dir, "server.pem"), TlsFiles.read(dir, "server.key"))
                        .rootCertificates(TlsFiles.read(dir, "ca.pem"))
                        .clientAuth(TlsCredentials.ClientAuth.REQUIRE)
                        .build()));
    org.osgi.service.cm.Configuration c = null;
    try (ChannelServices.Tracked secure = ChannelServices.track(ctx, "secure")) {
      Dictionary<String, Object> d = channel("secure", Loopback.target(server));
      d.remove(ChannelProperties.PLAINTEXT);
      d.put(ChannelProperties.AUTHORITY, TlsFiles.SERVER_NAME + ":" + server.port());
      d.put(ChannelProperties.TLS_TRUST_FILE, dir.resolve("ca.pem").toString());
      d.put(ChannelProperties.TLS_CERT_FILE, dir.resolve("client.pem").toString());
      d.put(ChannelProperties.TLS_KEY_FILE, dir.resolve("client.key").toString());
      c = configure("secure", d);
      assertEquals("secure", InFramework.callId(secure.awaitChannel()));
    } finally {
      delete(c);
      server.shutdownNow();
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  public void aNewDefaultServiceConfigSwitchesToRoundRobinUnderLoadWithoutAFailedCall()
      throws Exception {
    List<Server> servers = InFramework.startBackends(2);
    org.osgi.service.cm.Configuration c = null;
    ChannelServiceLoad load = null;
    try (ChannelServices.Tracked lb = ChannelServices.track(ctx, "lb")) {
      c = configure("lb", channel("lb", staticTarget(servers)));
      ClientConn conn = lb.awaitChannel();
      Object id = serviceId(lb.getServiceReference());
      load = new ChannelServiceLoad(lb);
      load.start(THREADS);
      load.awaitCalls(200);
      assertEquals(
          "pick_first: the first address only", Set.of("backend-0"), load.perBackend().keySet());

      c.update(
          channel(
              "lb", staticTarget(servers), ChannelProperties.DEFAULT_SERVICE_CONFIG, ROUND_ROBIN));
      InFramework.awaitWiring(conn, w -> InFramework.serving(w, "round_robin"), "round_robin");
      load.awaitBackend("backend-1");
      load.awaitCalls(200);
      load.stop();
      report("service config update", load);

      assertEquals("calls failed: " + load.failures(), List.of(), load.failures());
      assertEquals(0, load.unserved());
      assertSame("the same channel, changed live", conn, lb.getService());
      assertEquals(id, serviceId(lb.getServiceReference()));
      assertTrue(load.perBackend().toString(), load.calls() >= 400);
    } finally {
      stop(load);
      delete(c);
      InFramework.shutdown(null, servers);
    }
  }

  @Test
  public void aNewTargetReplacesTheChannelUnderLoadWithoutAFailedCall() throws Exception {
    List<Server> servers = InFramework.startBackends(2);
    org.osgi.service.cm.Configuration c = null;
    ChannelServiceLoad load = null;
    try (ChannelServices.Tracked moved = ChannelServices.track(ctx, "moved")) {
      c = configure("moved", channel("moved", Loopback.target(servers.get(0))));
      ClientConn old = moved.awaitChannel();
      Object oldId = serviceId(moved.getServiceReference());
      load = new ChannelServiceLoad(moved);
      load.start(THREADS);
      load.awaitCalls(200);

      c.update(channel("moved", Loopback.target(servers.get(1))));
      ServiceReference<ClientConn> now =
          moved.await(r -> r != null && !oldId.equals(serviceId(r)), "the new channel");
      assertEquals(1, moved.size());
      load.awaitBackend("backend-1");
      assertTrue("the old channel is shut down", old.awaitTermination(10, TimeUnit.SECONDS));
      load.awaitCalls(200);
      load.stop();
      report("target update", load);

      assertEquals("calls failed: " + load.failures(), List.of(), load.failures());
      assertEquals(0, load.unserved());
      assertNotEquals(old, moved.getService(now));
      assertEquals(Loopback.target(servers.get(1)), moved.getService(now).target());
    } finally {
      stop(load);
      delete(c);
      InFramework.shutdown(null, servers);
    }
  }

  @Test
  public void deletingUnderLoadUnregistersAndLetsCallsInFlightFinish() throws Exception {
    EchoService echo = new EchoService("backend-0");
    Server server = Loopback.start(echo);
    org.osgi.service.cm.Configuration c = null;
    ChannelServiceLoad load = null;
    try (ChannelServices.Tracked gone = ChannelServices.track(ctx, "gone")) {
      c = configure("gone", channel("gone", Loopback.target(server)));
      ClientConn conn = gone.awaitChannel();
      load = new ChannelServiceLoad(gone);
      load.start(THREADS);
      load.awaitCalls(100);
      List<RecordingListener<com.google.protobuf.StringValue>> inFlight = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        inFlight.add(
            Loopback.call(
                conn,
                EchoService.HANG,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                new Metadata(),
                str("wait")));
        assertEquals("started", echo.events.poll(10, TimeUnit.SECONDS));
      }

      c.delete();
      c = null;
      gone.awaitGone();
      long servedBefore = load.calls();
      InFramework.awaitWiring(
          conn, w -> conn.isShutdown(), "the graceful shutdown after the retire delay");
      assertFalse("calls in flight keep the channel", conn.isTerminated());
      echo.release.countDown();
      for (RecordingListener<com.google.protobuf.StringValue> call : inFlight) {
        assertEquals(Status.Code.OK, call.awaitClose().getCode());
        assertEquals("released", call.messages.get(0).getValue());
      }
      assertTrue(conn.awaitTermination(10, TimeUnit.SECONDS));
      load.stop();
      report("delete", load);

      assertEquals("calls failed: " + load.failures(), List.of(), load.failures());
      assertTrue("calls found no channel once it was deleted", load.unserved() > 0);
      assertTrue(servedBefore >= 100);
    } finally {
      stop(load);
      delete(c);
      InFramework.shutdown(null, List.of(server));
    }
  }

  @Test
  public void stoppingTheBundleShutsItsChannelsDownAndStartingItMakesThemAgain() throws Exception {
    List<Server> servers = InFramework.startBackends(1);
    org.osgi.service.cm.Configuration c = null;
    org.osgi.framework.Bundle bundle = InFramework.bundle(ctx, "osgi-channel");
    try (ChannelServices.Tracked cycled = ChannelServices.track(ctx, "cycled")) {
      c = configure("cycled", channel("cycled", Loopback.target(servers.get(0))));
      ClientConn first = cycled.awaitChannel();
      assertEquals("backend-0", InFramework.callId(first));

      bundle.stop();
      assertEquals(0, cycled.size());
      assertTrue("shut down at once, not after the retire delay", first.isShutdown());
      assertTrue(first.awaitTermination(10, TimeUnit.SECONDS));

      bundle.start();
      ClientConn second = cycled.awaitChannel();
      assertNotEquals(first, second);
      assertEquals("backend-0", InFramework.callId(second));
    } finally {
      if (bundle.getState() != org.osgi.framework.Bundle.ACTIVE) {
        bundle.start();
      }
      delete(c);
      InFramework.shutdown(null, servers);
    }
  }

  @Test
  public void aBadConfigurationIsLoggedAndChangesNothing() throws Exception {
    List<Server> servers = InFramework.startBackends(1);
    String target = Loopback.target(servers.get(0));
    org.osgi.service.cm.Configuration c = null;
    org.osgi.service.cm.Configuration bad = null;
    try (ChannelServices.Tracked steady = ChannelServices.track(ctx, "steady");
        ChannelServices.Tracked never = ChannelServices.track(ctx, "never");
        LoggedErrors errors =
            new LoggedErrors("dev.switchboard.osgi.channel.internal.ChannelComponent")) {
      c = configure("steady", channel("steady", target));
      ClientConn conn = steady.awaitChannel();
      Object id = serviceId(steady.getServiceReference());

      c.update(channel("steady", target, ChannelProperties.DEFAULT_SERVICE_CONFIG, "{\"x\":"));
      errors.await("default.service.config is not valid JSON", "channel steady to " + target);
      c.update(channel("steady", "not a target"));
      errors.await("target must not contain whitespace", "is unchanged");
      Dictionary<String, Object> tls = channel("steady", target);
      tls.remove(ChannelProperties.PLAINTEXT);
      tls.put(ChannelProperties.TLS_TRUST_FILE, "/no/such/ca.pem");
      c.update(tls);
      errors.await("tls.trust.file cannot be read", "is unchanged");

      assertEquals(id, serviceId(steady.getServiceReference()));
      assertSame(conn, steady.getService());
      assertEquals("backend-0", InFramework.callId(conn));

      c.update(
          channel(
              "steady",
              target,
              ChannelProperties.DEFAULT_SERVICE_CONFIG,
              "{\"loadBalancingConfig\":{}}"));
      errors.await(
          "default.service.config: invalid service config: loadBalancingConfig must be a list",
          "is unchanged");

      bad = configure("never", channel("never", " "));
      errors.await("target is required", "no channel is created");
      bad.update(
          channel(
              "never",
              target,
              ChannelProperties.DEFAULT_SERVICE_CONFIG,
              "{\"loadBalancingConfig\":{}}"));
      errors.await(
          "default.service.config: invalid service config: loadBalancingConfig must be a list",
          "no channel is created");
      assertEquals(0, never.size());

      // A good update after bad ones applies.
      c.update(channel("steady", target, "team", "orders"));
      steady.await(r -> r != null && "orders".equals(r.getProperty("team")), "the new property");
      assertEquals(id, serviceId(steady.getServiceReference()));
    } finally {
      delete(bad);
      delete(c);
      InFramework.shutdown(null, servers);
    }
  }

  @Test
  public void interceptorsComeFromAFilterInRankingOrderAndChangeLive() throws Exception {
    List<Server> servers = InFramework.startBackends(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    org.osgi.service.cm.Configuration c = null;
    ServiceRegistration<?> low = register("low", 0, seen);
    ServiceRegistration<?> high = register("high", 10, seen);
    ServiceRegistration<?> other = null;
    try (ChannelServices.Tracked icpt = ChannelServices.track(ctx, "icpt")) {
      c =
          configure(
              "icpt",
              channel(
                  "icpt",
                  Loopback.target(servers.get(0)),
                  ChannelProperties.INTERCEPTOR_FILTER,
                  "(interceptor.test=chain)"));
      ClientConn conn = icpt.awaitChannel();
      Object id = serviceId(icpt.getServiceReference());
      assertEquals(List.of("high", "low"), calledThrough(conn, seen));

      high.unregister();
      high = null;
      assertEquals(List.of("low"), calledThrough(conn, seen));
      other = register("other", 5, seen);
      assertEquals("not selected by the filter", List.of("low"), calledThrough(conn, seen));

      c.update(
          channel(
              "icpt",
              Loopback.target(servers.get(0)),
              ChannelProperties.INTERCEPTOR_FILTER,
              "(name=other)"));
      icpt.await(
          r -> r != null && "(name=other)".equals(r.getProperty("interceptor.filter")),
          "the update");
      assertEquals(List.of("other"), calledThrough(conn, seen));
      assertEquals("applied live", id, serviceId(icpt.getServiceReference()));
    } finally {
      for (ServiceRegistration<?> r : new ServiceRegistration<?>[] {low, high, other}) {
        if (r != null) {
          r.unregister();
        }
      }
      delete(c);
      InFramework.shutdown(null, servers);
    }
  }

  private static void report(String what, ChannelServiceLoad load) {
    System.out.printf(
        "%s: %d calls from %d threads, per backend %s, no channel %d, failed %d%n",
        what, load.calls(), THREADS, load.perBackend(), load.unserved(), load.failures().size());
  }

  /** One call; returns the interceptors it went through, in order. */
  private static List<String> calledThrough(ClientConn conn, List<String> seen) throws Exception {
    seen.clear();
    assertEquals("backend-0", InFramework.callId(conn));
    return List.copyOf(seen);
  }

  private ServiceRegistration<?> register(String name, int ranking, List<String> seen) {
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("name", name);
    props.put(Constants.SERVICE_RANKING, ranking);
    if (!name.equals("other")) {
      props.put("interceptor.test", "chain");
    }
    ClientInterceptor interceptor =
        new ClientInterceptor() {
          @Override
          public <ReqT, RespT> ClientStream<ReqT, RespT> interceptCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
            seen.add(name);
            return next.newStream(method, callOptions);
          }
        };
    return ctx.registerService(ClientInterceptor.class, interceptor, props);
  }

  private static void delete(org.osgi.service.cm.Configuration c) throws Exception {
    if (c != null) {
      c.delete();
    }
  }

  private static void stop(ChannelServiceLoad load) throws InterruptedException {
    if (load != null) {
      load.stop();
    }
  }
}
