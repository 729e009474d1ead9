package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.spi.HealthCheckProvider;
import dev.switchboard.api.spi.HealthCheckRegistry;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.health.HealthStatusManager;
import dev.switchboard.health.v1.HealthCheckResponse.ServingStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The health bundle in a framework: its {@code HealthCheckProvider} reaches the api's registry as a
 * DS service, client-side health checks keep calls off a backend that is not serving, and stopping
 * the bundle takes the provider away (the channel then treats backends as healthy).
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class HealthBundleIT {
  @Inject BundleContext ctx;

  @Configuration
  public Option[] config() {
    return FelixOptions.switchboard(FelixOptions.jar("health"));
  }

  @Test
  public void healthChecksInTheFramework() throws Exception {
    HealthCheckRegistry registry = HealthCheckRegistry.getDefaultRegistry();
    InFramework.awaitRegistration(
        registry, HealthCheckProvider.DEFAULT_NAME, r -> r != null, "the health check provider");

    List<Server> servers = new ArrayList<>();
    List<HealthStatusManager> health = new ArrayList<>();
    for (String id : List.of("up", "down")) {
      HealthStatusManager h = new HealthStatusManager();
      h.setStatus(EchoService.SERVICE, ServingStatus.SERVING);
      health.add(h);
      servers.add(
          Loopback.start(
              new EchoService(id),
              ServerOptions.newBuilder()
                  .insecure()
                  .addService(h.getHealthService().bindService())));
    }
    health.get(1).setStatus(EchoService.SERVICE, ServingStatus.NOT_SERVING);
    ClientConn conn =
        ClientConns.newClient(
            InFramework.addresses(servers),
            DialOptions.newBuilder()
                .insecure()
                .defaultServiceConfig(
                    "{\"loadBalancingConfig\":[{\"round_robin\":{}}],"
                        + "\"healthCheckConfig\":{\"serviceName\":\""
                        + EchoService.SERVICE
                        + "\"}}")
                .build());
    try {
      InFramework.awaitBackends(conn, 1);
      Set<String> answered = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        answered.add(InFramework.callId(conn));
      }
      assertEquals(Set.of("up"), answered);

      Bundle bundle = InFramework.bundle(ctx, "health");
      bundle.stop();
      InFramework.awaitRegistration(
          registry, HealthCheckProvider.DEFAULT_NAME, r -> r == null, "the provider gone");
      assertNull(registry.lookup(HealthCheckProvider.DEFAULT_NAME));
      bundle.start();
      InFramework.awaitRegistration(
          registry, HealthCheckProvider.DEFAULT_NAME, r -> r != null, "the provider back");
      assertTrue(bundle.getState() == Bundle.ACTIVE);
    } finally {
      InFramework.shutdown(conn, servers);
    }
  }
}
