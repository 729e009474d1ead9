package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records what a transport stream reports. */
final class RecordingTransportListener implements ClientTransportStreamListener {
  final List<String> messages = new ArrayList<>();
  Metadata headers;
  Status status;
  int closeCount;

  @Override
  public void headersRead(Metadata headers) {
    this.headers = headers;
  }

  @Override
  public void messageRead(InputStream message) {
    try (message) {
      messages.add(new String(message.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void closed(Status status, Metadata trailers) {
    this.status = status;
    closeCount++;
  }

  @Override
  public void onReady() {}
}
