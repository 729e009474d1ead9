package dev.switchboard.api.stub;

import dev.switchboard.api.Deadline;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.Status;
import java.util.ArrayList;
import java.util.List;

/** A server call that records what the helper does with it; single-threaded tests only. */
final class FakeServerCall extends ServerCall<String, String> {
  final MethodDescriptor<String, String> method;
  final List<Metadata> headersSent = new ArrayList<>();
  final List<String> messages = new ArrayList<>();
  int requested;
  Status closeStatus;
  Metadata closeTrailers;
  boolean cancelled;
  boolean ready = true;
  String compression;
  Boolean messageCompression;
  Deadline deadline;

  FakeServerCall(MethodType type) {
    method = MethodDescriptor.of("test.Svc/" + type, type, String.class, String.class);
  }

  @Override
  public void request(int numMessages) {
    requested += numMessages;
  }

  @Override
  public void sendHeaders(Metadata headers) {
    checkOpen();
    headersSent.add(headers);
  }

  @Override
  public void sendMessage(String message) {
    checkOpen();
    messages.add(message);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    checkOpen();
    closeStatus = status;
    closeTrailers = trailers;
  }

  private void checkOpen() {
    if (closeStatus != null) {
      throw new IllegalStateException("call already closed");
    }
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public MethodDescriptor<String, String> getMethodDescriptor() {
    return method;
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void setCompression(String compressorName) {
    compression = compressorName;
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  @Override
  public Deadline getDeadline() {
    return deadline;
  }
}
