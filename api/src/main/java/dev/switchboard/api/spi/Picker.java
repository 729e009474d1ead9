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
  /**
   * Chooses for one call. Runs on the calling thread, concurrently with other picks: no lock, no
   * blocking. An exception or {@code null} fails the call with UNAVAILABLE.
   *
   * @param info the call's method, headers and options
   * @return the outcome, not null
   */
  PickResult pick(PickInfo info);

  /**
   * {@return a picker that always returns {@code result}}
   *
   * @param result the result of every pick
   */
  static Picker of(PickResult result) {
    return info -> result;
  }
}
