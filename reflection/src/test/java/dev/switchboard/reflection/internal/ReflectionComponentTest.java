package dev.switchboard.reflection.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.server.Servers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OSGi component's binding logic, on plain servers (never started). */
class ReflectionComponentTest {
  private static List<String> names(Server server) {
    return server.services().stream().map(ServiceDefinition::getServiceName).toList();
  }

  private static Server server() {
    return Servers.newServer(ServerOptions.newBuilder().insecure().listen("127.0.0.1", 0).build());
  }

  @Test
  void bindsReflectionToEachServerAndTakesItBack() {
    ReflectionComponent component = new ReflectionComponent();
    Server a = server();
    Server b = server();
    component.addServer(a);
    component.addServer(b);
    component.addServer(a); // twice: no change
    List<String> reflection =
        List.of("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");
    assertEquals(reflection, names(a));
    assertEquals(reflection, names(b));

    component.removeServer(a);
    assertEquals(List.of(), names(a));
    component.deactivate();
    assertEquals(List.of(), names(b));
    component.addServer(a); // late bind after deactivation: ignored
    assertEquals(List.of(), names(a));
  }

  @Test
  void leavesAServerThatHasReflectionAlone() {
    Server server = server();
    ServiceDefinition own =
        ServiceDefinition.newBuilder("grpc.reflection.v1.ServerReflection").build();
    server.addService(own);
    ReflectionComponent component = new ReflectionComponent();
    component.addServer(server);
    assertEquals(List.of(own), server.services());
    component.removeServer(server);
    assertEquals(List.of(own), server.services());
  }
}
