package dev.switchboard.balancer.pickfirst;

/**
 * The parsed {@code pick_first} configuration.
 *
 * @param shuffleAddressList randomize the resolved address order before connecting, so that clients
 *     with the same address list spread over the servers (gRFC A62)
 */
record PickFirstConfig(boolean shuffleAddressList) {
  static final PickFirstConfig DEFAULT = new PickFirstConfig(false);
}
