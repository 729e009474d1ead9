package dev.switchboard.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Chooses a SubConn for each call. Called on the calling thread, concurrently, on the hot path: a
 * picker is an immutable snapshot (at most an atomic cursor), takes no lock and never blocks. A
 * balancer publishes a new picker whenever its state changes.
 *
 * @since 0.1
 */
@ConsumerType
@FunctionalInterface
public interface Picker {
  PickResult pick(PickInfo info);

  /** A picker that always returns {@code result}. */
  static Picker of(PickResult result) {
    return info -> result;
  }
}
