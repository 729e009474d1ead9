package dev.switchboard.distribution.demo;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Status;
import dev.switchboard.examples.helloworld.GreeterSwitchboard;
import dev.switchboard.examples.helloworld.GreeterSwitchboard.GreeterBlockingStub;
import dev.switchboard.examples.helloworld.HelloRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Blocking unary calls in a loop from several threads, each with a deadline. Answers are counted
 * per backend into the current {@link Phase}; every failure is kept with its status.
 */
final class DemoLoad {
  /** Calls counted while one thing was going on (a policy serving, a switch under way). */
  static final class Phase {
    final String label;
    private final Map<String, LongAdder> perBackend = new ConcurrentHashMap<>();
    private final LongAdder failed = new LongAdder();
    private final CountDownLatch target;

    Phase(String label, int calls) {
      this.label = label;
      this.target = new CountDownLatch(calls);
    }

    void answered(String backend) {
      perBackend.computeIfAbsent(backend, b -> new LongAdder()).increment();
      target.countDown();
    }

    void failed() {
      failed.increment();
      target.countDown();
    }

    /** Waits until the phase has seen its number of calls. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
      return target.await(timeout, unit);
    }

    Map<String, Long> perBackend() {
      Map<String, Long> out = new TreeMap<>();
      perBackend.forEach((k, v) -> out.put(k, v.sum()));
      return out;
    }

    long failedCalls() {
      return failed.sum();
    }
  }

  private final GreeterBlockingStub greeter;
  private final AtomicReference<Phase> phase;
  private final List<Thread> threads = new ArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final LongAdder calls = new LongAdder();
  private volatile boolean running;

  DemoLoad(ClientConn channel, Phase first) {
    this.greeter = GreeterSwitchboard.newBlockingStub(channel);
    this.phase = new AtomicReference<>(first);
  }

  void start(int threadCount) {
    running = true;
    for (int i = 1; i <= threadCount; i++) {
      Thread t = new Thread(this::loop, "switchboard-demo-caller-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Makes {@code next} the phase that counts from now on. */
  void enter(Phase next) {
    phase.set(next);
  }

  private void loop() {
    HelloRequest request = HelloRequest.newBuilder().setName("demo").build();
    while (running) {
      try {
        // A stub's deadline is fixed when the stub is made: a fresh one per call.
        String backend =
            greeter.withDeadlineAfter(10, TimeUnit.SECONDS).sayHello(request).getBackend();
        phase.get().answered(backend);
      } catch (RuntimeException e) {
        failures.add(Status.fromThrowable(e).toString());
        phase.get().failed();
      }
      calls.increment();
    }
  }

  /** Stops the callers after their current call (bounded by its deadline). */
  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(15));
    }
  }

  long calls() {
    return calls.sum();
  }

  long failedCalls() {
    return failures.size();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }
}
