package dev.switchboard.api.stub;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.MethodDescriptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A channel whose calls are {@link FakeClientStream}s; {@link #onNewStream} scripts each one. */
final class FakeChannel implements Channel {
  final List<FakeClientStream<?, ?>> streams = new CopyOnWriteArrayList<>();
  Consumer<FakeClientStream<String, String>> onNewStream = s -> {};

  @Override
  @SuppressWarnings("unchecked") // tests use String methods only
  public <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    FakeClientStream<ReqT, RespT> stream = new FakeClientStream<>(callOptions);
    streams.add(stream);
    onNewStream.accept((FakeClientStream<String, String>) stream);
    return stream;
  }

  @Override
  public String authority() {
    return "fake";
  }

  @SuppressWarnings("unchecked")
  FakeClientStream<String, String> stream(int i) {
    return (FakeClientStream<String, String>) streams.get(i);
  }
}
