package dev.switchboard.api;

/**
 * How a {@link ChannelWiring} and its {@link ChannelWiring.Component}s render for logs: a header
 * line for the channel, then one line per component ("role name [STATE] from origin: reason
 * (detail)"), children indented under their balancer.
 */
final class WiringText {
  private WiringText() {}

  /** {@link ChannelWiring#toString()}: the header, then each component indented. */
  static String of(ChannelWiring wiring) {
    StringBuilder sb = new StringBuilder();
    sb.append("ClientConn '")
        .append(wiring.target())
        .append("' ")
        .append(wiring.connectivityState())
        .append(", scheme ")
        .append(wiring.scheme())
        .append('\n');
    for (ChannelWiring.Component c : wiring.components()) {
      render(sb, c, "  ");
    }
    return sb.toString().stripTrailing();
  }

  /** {@link ChannelWiring.Component#toString()}: the component and its children. */
  static String of(ChannelWiring.Component component) {
    StringBuilder sb = new StringBuilder();
    render(sb, component, "");
    return sb.toString().stripTrailing();
  }

  private static void render(StringBuilder sb, ChannelWiring.Component c, String indent) {
    sb.append(indent)
        .append(c.role().label())
        .append(' ')
        .append(c.name())
        .append(" [")
        .append(c.state())
        .append(']');
    if (c.origin() != null) {
      sb.append(" from ").append(c.origin());
    }
    if (!c.reason().isEmpty()) {
      sb.append(": ").append(c.reason());
    }
    if (c.detail() != null) {
      sb.append(" (").append(c.detail()).append(')');
    }
    sb.append('\n');
    for (ChannelWiring.Component child : c.children()) {
      render(sb, child, indent + "  ");
    }
  }
}
