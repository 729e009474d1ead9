package dev.switchboard.itests;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Unary calls in a loop from several threads, each with a deadline, counting answers per backend
 * and keeping every failure. {@link #stop()} waits for the threads.
 */
final class CallLoad {
  private final ClientConn conn;
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, LongAdder> perBackend = new ConcurrentHashMap<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final AtomicLong calls = new AtomicLong();
  private volatile boolean running;

  CallLoad(ClientConn conn) {
    this.conn = conn;
  }

  void start(int threadCount) {
    running = true;
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::loop, "call-load-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void loop() {
    while (running) {
      try {
        String backend = InFramework.callId(conn);
        perBackend.computeIfAbsent(backend, b -> new LongAdder()).increment();
      } catch (Exception e) {
        failures.add(Status.fromThrowable(e).toString());
      } catch (Throwable t) {
        failures.add(t.toString());
      }
      calls.incrementAndGet();
    }
  }

  /** Stops the callers and waits for their last calls (each bounded by its deadline). */
  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
      if (t.isAlive()) {
        failures.add(t.getName() + " did not finish its last call");
      }
    }
  }

  long calls() {
    return calls.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  Map<String, Long> perBackend() {
    Map<String, Long> out = new TreeMap<>();
    perBackend.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
