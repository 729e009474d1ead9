package dev.switchboard.server.internal;

import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ServerTransportStreamListener;
import java.io.IOException;
import java.io.InputStream;

/** Listener for streams the server refused before any handler saw them: drops everything. */
enum DiscardingStreamListener implements ServerTransportStreamListener {
  INSTANCE;

  @Override
  public void messageRead(InputStream message, boolean compressed) {
    try {
      message.close();
    } catch (IOException ignored) {
      // Nothing to recover: the buffers are released or lost either way.
    }
  }

  @Override
  public void halfClosed() {}

  @Override
  public void closed(Status status) {}

  @Override
  public void onReady() {}
}
