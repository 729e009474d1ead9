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
  public SubConnState {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(connectionError, "connectionError");
    if (state == ConnectivityState.TRANSIENT_FAILURE && connectionError.isOk()) {
      throw new IllegalArgumentException("TRANSIENT_FAILURE needs an error status");
    }
  }

  /** A state without error (anything but TRANSIENT_FAILURE). */
  public static SubConnState of(ConnectivityState state) {
    return new SubConnState(state, Status.OK);
  }

  /** TRANSIENT_FAILURE with {@code error}. */
  public static SubConnState failure(Status error) {
    return new SubConnState(ConnectivityState.TRANSIENT_FAILURE, error);
  }
}
