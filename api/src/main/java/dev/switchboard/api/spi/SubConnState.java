package dev.switchboard.api.spi;

import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import java.util.Objects;

/**
 * A SubConn's state, with the last connection error when in TRANSIENT_FAILURE.
 *
 * @param state the state
 * @param connectionError the error (TRANSIENT_FAILURE), else {@link Status#OK}
 * @since 0.1
 */
public record SubConnState(ConnectivityState state, Status connectionError) {
  /**
   * Checks the components.
   *
   * @param state the state, not null
   * @param connectionError the error, not OK, in TRANSIENT_FAILURE; else anything, usually OK
   * @throws IllegalArgumentException when TRANSIENT_FAILURE comes with OK
   */
  public SubConnState {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(connectionError, "connectionError");
    if (state == ConnectivityState.TRANSIENT_FAILURE && connectionError.isOk()) {
      throw new IllegalArgumentException("TRANSIENT_FAILURE needs an error status");
    }
  }

  /**
   * {@return a state without error}
   *
   * @param state anything but TRANSIENT_FAILURE
   * @throws IllegalArgumentException for TRANSIENT_FAILURE
   */
  public static SubConnState of(ConnectivityState state) {
    return new SubConnState(state, Status.OK);
  }

  /**
   * {@return TRANSIENT_FAILURE with {@code error}}
   *
   * @param error the connection error, not OK
   */
  public static SubConnState failure(Status error) {
    return new SubConnState(ConnectivityState.TRANSIENT_FAILURE, error);
  }
}
