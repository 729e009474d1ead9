package dev.switchboard.reflection.internal;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.reflection.ReflectionService;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * OSGi: binds reflection to every {@code Server} service (such as those the osgi-server bundle
 * starts from configuration, whose whiteboard services it then describes as they come and go),
 * while a configuration of PID {@value #PID} exists. Its {@code servers.target} property, an LDAP
 * filter over the servers' service properties, chooses the servers (default: all). A server that
 * already binds a reflection service is left alone. Plain Java apart from its annotations.
 */
@Component(
    name = ReflectionComponent.PID,
    configurationPid = ReflectionComponent.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    service = {})
public final class ReflectionComponent {
  /** The configuration PID that turns the component on. */
  public static final String PID = "dev.switchboard.reflection";

  // Server -> the two definitions bound to it; guarded by this.
  private final Map<Server, List<ServiceDefinition>> bound = new IdentityHashMap<>();
  private boolean deactivated; // guarded by this

  /** For Declarative Services. */
  public ReflectionComponent() {}

  @Reference(
      name = "servers",
      service = Server.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "removeServer")
  synchronized void addServer(Server server) {
    if (deactivated || bound.containsKey(server)) {
      return;
    }
    ReflectionService reflection = ReflectionService.newInstance(server);
    ServiceDefinition v1 = reflection.bindService();
    ServiceDefinition v1alpha = reflection.bindV1AlphaService();
    try {
      server.addService(v1);
    } catch (IllegalArgumentException alreadyBound) {
      return;
    }
    try {
      server.addService(v1alpha);
    } catch (IllegalArgumentException alreadyBound) {
      v1alpha = null;
    }
    bound.put(server, v1alpha == null ? List.of(v1) : List.of(v1, v1alpha));
  }

  synchronized void removeServer(Server server) {
    List<ServiceDefinition> definitions = bound.remove(server);
    if (definitions != null) {
      definitions.forEach(server::removeService);
    }
  }

  @Deactivate
  synchronized void deactivate() {
    deactivated = true;
    bound.forEach((server, definitions) -> definitions.forEach(server::removeService));
    bound.clear();
  }
}
