package dev.switchboard.server.internal;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A handler that requests {@link #initialRequest} messages and hands each call a {@link
 * RecordingListener}; {@link #onStart} may act on the call or listener first (or throw).
 */
final class RecordingHandler implements ServerCallHandler<String, String> {
  final List<ServerCall<String, String>> calls = new CopyOnWriteArrayList<>();
  final List<Metadata> headers = new CopyOnWriteArrayList<>();
  final List<RecordingListener> listeners = new CopyOnWriteArrayList<>();
  int initialRequest = 1;
  Consumer<Started> onStart = started -> {};

  /** What {@link #onStart} sees. */
  record Started(ServerCall<String, String> call, RecordingListener listener) {}

  @Override
  public ServerCallListener<String> startCall(ServerCall<String, String> call, Metadata headers) {
    calls.add(call);
    this.headers.add(headers);
    RecordingListener listener = new RecordingListener();
    listeners.add(listener);
    onStart.accept(new Started(call, listener));
    call.request(initialRequest);
    return listener;
  }

  ServerCall<String, String> call(int i) {
    return calls.get(i);
  }

  RecordingListener listener(int i) {
    return listeners.get(i);
  }
}
