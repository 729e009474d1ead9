package dev.switchboard.api;

/**
 * Connectivity of a channel or of one {@code SubConn}, as in gRPC's connectivity semantics.
 *
 * @since 0.1
 */
public enum ConnectivityState {
  /** Not connected and not trying to; a call or {@code connect()} starts connecting. */
  IDLE,
  /** Trying to establish a connection. */
  CONNECTING,
  /** Connected; calls can be sent. */
  READY,
  /** The last attempt failed; waiting to retry. */
  TRANSIENT_FAILURE,
  /** Closed for good. */
  SHUTDOWN
}
