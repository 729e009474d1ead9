package dev.switchboard.server.internal;

import dev.switchboard.api.ServerCallListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Records a call's events ({@code message:x}, {@code halfClose}, {@code ready}, {@code cancel},
 * {@code complete}) and the threads they ran on; optional actions run after recording.
 */
final class RecordingListener extends ServerCallListener<String> {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();
  final CountDownLatch ended = new CountDownLatch(1);
  Consumer<String> onMessage = m -> {};
  Runnable onHalfClose = () -> {};

  private void record(String event) {
    events.add(event);
    threads.add(Thread.currentThread().getName());
  }

  @Override
  public void onMessage(String message) {
    record("message:" + message);
    onMessage.accept(message);
  }

  @Override
  public void onHalfClose() {
    record("halfClose");
    onHalfClose.run();
  }

  @Override
  public void onCancel() {
    record("cancel");
    ended.countDown();
  }

  @Override
  public void onComplete() {
    record("complete");
    ended.countDown();
  }

  @Override
  public void onReady() {
    record("ready");
  }
}
