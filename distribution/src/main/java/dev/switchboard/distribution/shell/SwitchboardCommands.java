package dev.switchboard.distribution.shell;

import dev.switchboard.api.ClientConn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Gogo shell commands in scope {@code switchboard}:
 *
 * <ul>
 *   <li>{@code switchboard:providers}: every provider in the default registries, the winner of
 *       each name first, with ranking, priority and origin ({@code bundle <bsn> <version>}).
 *   <li>{@code switchboard:channels}: the wiring of each live channel published as a {@link
 *       ClientConn} service (property {@value #CHANNEL_PROPERTY} names it): resolver, balancers,
 *       transport, codecs, their origins and states.
 * </ul>
 *
 * <p>Gogo finds commands by the {@code osgi.command.*} service properties and calls public
 * methods by name, so this class needs no Gogo type: without a shell it is an unused service. A
 * channel becomes visible to {@code channels} by being registered as a service, for example
 * {@code ctx.registerService(ClientConn.class, conn, Map.of("switchboard.channel", "orders"))}.
 */
@Component(service = SwitchboardCommands.class, property = {
    "osgi.command.scope=switchboard",
    "osgi.command.function=providers",
    "osgi.command.function=channels"})
public final class SwitchboardCommands {
  /** Service property with a channel's display name. */
  public static final String CHANNEL_PROPERTY = "switchboard.channel";

  private record Published(ClientConn conn, String label) {}

  private final List<Published> channels = new CopyOnWriteArrayList<>();

  /** Public no-arg constructor for SCR. */
  public SwitchboardCommands() {}

  @Reference(service = ClientConn.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, unbind = "removeChannel")
  void addChannel(ClientConn conn, Map<String, Object> properties) {
    Object label = properties.get(CHANNEL_PROPERTY);
    channels.add(new Published(conn, label == null ? "service " + properties.get("service.id")
        : label.toString()));
  }

  void removeChannel(ClientConn conn) {
    channels.removeIf(p -> p.conn() == conn);
  }

  /** {@code switchboard:providers}. */
  public String providers() {
    return Reports.providers();
  }

  /** {@code switchboard:channels}. */
  public String channels() {
    List<String> out = new ArrayList<>();
    for (Published p : channels) {
      if (!p.conn().isShutdown()) {
        out.add("[" + p.label() + "] " + Reports.wiring(p.conn()));
      }
    }
    return out.isEmpty() ? "no live channels published as ClientConn services"
        : String.join("\n", out);
  }
}
