package dev.switchboard.api.transport;

/**
 * How far a client stream got before it closed, as its transport knows it: lets the channel retry
 * transparently (on another connection, without the application noticing) a call that no server
 * application can have seen, as gRPC's transparent retry allows.
 *
 * @since 0.2
 */
public enum StreamProgress {
  /**
   * The stream may have reached the server's application: the call is over. What {@link
   * ClientTransportStreamListener#closed(dev.switchboard.api.Status, dev.switchboard.api.Metadata)}
   * means.
   */
  PROCESSED,
  /**
   * The server cannot have processed the stream: it was never written to the connection (the
   * transport was shutting down, or had failed, when the stream started), or the server refused it
   * unprocessed (RST_STREAM REFUSED_STREAM, or GOAWAY whose last stream id is below it). The
   * channel may start the call again on another connection.
   */
  REFUSED
}
