package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.StreamProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Records what a transport stream reports. */
final class RecordingTransportListener implements ClientTransportStreamListener {
  final List<String> messages = new ArrayList<>();
  Metadata headers;
  Status status;
  StreamProgress progress;
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
    closed(status, StreamProgress.PROCESSED, trailers);
  }

  @Override
  public void closed(Status status, StreamProgress progress, Metadata trailers) {
    this.status = status;
    this.progress = progress;
    closeCount++;
  }

  /** What {@code isReady()} said in each {@code onReady}; the test sets where to ask. */
  final List<Boolean> readyChecks = new ArrayList<>();

  BooleanSupplier readiness = () -> true;

  @Override
  public void onReady() {
    readyChecks.add(readiness.getAsBoolean());
  }
}
