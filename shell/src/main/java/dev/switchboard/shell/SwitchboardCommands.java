package dev.switchboard.shell;

import dev.switchboard.api.ClientConn;
import dev.switchboard.clientconn.ClientConns;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Gogo shell commands in scope {@code switchboard}:
 *
 * <ul>
 *   <li>{@code switchboard:providers}: every provider in the default registries, the winner of each
 *       name first, with ranking, priority and origin ({@code bundle <bsn> <version>}).
 *   <li>{@code switchboard:channels}: the wiring of each live channel (resolver, balancers,
 *       transport, codecs, their origins and states): every channel created by {@link ClientConns}
 *       and not closed ({@link ClientConns#liveChannels()}), oldest first, then any other channel
 *       published as a {@link ClientConn} service. Each line starts with the channel's label in
 *       brackets: the {@value #CHANNEL_PROPERTY} property of the services publishing it (else
 *       {@code service <service.id>}), or {@value #UNPUBLISHED} when it is not published. A channel
 *       is listed once however it is found.
 * </ul>
 *
 * <p>Gogo finds commands by the {@code osgi.command.*} service properties and calls public methods
 * by name, so this class needs no Gogo type: without a shell it is an unused service. A channel
 * gets a label by being registered as a service, for example {@code
 * ctx.registerService(ClientConn.class, conn, Map.of("switchboard.channel", "orders"))}.
 */
@Component(
    service = SwitchboardCommands.class,
    property = {
      "osgi.command.scope=switchboard",
      "osgi.command.function=providers",
      "osgi.command.function=channels"
    })
public final class SwitchboardCommands {
  /** Service property with a channel's display name. */
  public static final String CHANNEL_PROPERTY = "switchboard.channel";

  /** The label of a live channel not published as a service. */
  public static final String UNPUBLISHED = "unpublished";

  private record Published(ClientConn conn, Object serviceId, String label) {}

  private final List<Published> channels = new CopyOnWriteArrayList<>();

  /** Public no-arg constructor for SCR. */
  public SwitchboardCommands() {}

  @Reference(
      service = ClientConn.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "removeChannel")
  void addChannel(ClientConn conn, Map<String, Object> properties) {
    Object label = properties.get(CHANNEL_PROPERTY);
    Object serviceId = properties.get("service.id");
    channels.add(
        new Published(conn, serviceId, label == null ? "service " + serviceId : label.toString()));
  }

  /** One registration gone; the same channel may still be published under another. */
  void removeChannel(ClientConn conn, Map<String, Object> properties) {
    Object serviceId = properties.get("service.id");
    channels.removeIf(p -> p.conn() == conn && Objects.equals(p.serviceId(), serviceId));
  }

  /** {@return the report of {@code switchboard:providers}: see {@link Reports#providers()}} */
  public String providers() {
    return Reports.providers();
  }

  /**
   * {@return the report of {@code switchboard:channels}: every live channel of this framework, with
   * the service registrations it is published under and its wiring}
   */
  public String channels() {
    // Identity, not equals: a ClientConn implementation may define equality of its own.
    Map<ClientConn, List<String>> labels = new IdentityHashMap<>();
    List<ClientConn> order = new ArrayList<>(ClientConns.liveChannels());
    order.forEach(conn -> labels.put(conn, new ArrayList<>()));
    for (Published p : channels) {
      if (!labels.containsKey(p.conn())) {
        labels.put(p.conn(), new ArrayList<>());
        order.add(p.conn());
      }
      labels.get(p.conn()).add(p.label());
    }
    List<String> out = new ArrayList<>();
    for (ClientConn conn : order) {
      if (!conn.isShutdown()) {
        List<String> names = labels.get(conn);
        out.add(
            "["
                + (names.isEmpty() ? UNPUBLISHED : String.join(", ", names))
                + "] "
                + Reports.wiring(conn));
      }
    }
    return out.isEmpty() ? "no live channels" : String.join("\n", out);
  }
}
