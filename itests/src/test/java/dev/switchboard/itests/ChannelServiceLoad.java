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
import java.util.concurrent.atomic.LongAdder;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Unary calls in a loop from several threads, each on the channel service its tracker holds when
 * the call starts, as a component with a dynamic reference would use it: counts answers per
 * backend, the calls that found no service, and keeps every failure. {@link #awaitCalls} and {@link
 * #awaitBackend} wait (bounded) on the calls' progress; {@link #stop()} waits for the threads.
 */
final class ChannelServiceLoad {
  private final ServiceTracker<ClientConn, ClientConn> channels;
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, LongAdder> perBackend = new ConcurrentHashMap<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final LongAdder unserved = new LongAdder();
  private volatile boolean running;

  // Guarded by this: calls answered, for the waits.
  private long calls;

  ChannelServiceLoad(ServiceTracker<ClientConn, ClientConn> channels) {
    this.channels = channels;
  }

  void start(int threadCount) {
    running = true;
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::loop, "channel-load-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void loop() {
    while (running) {
      ClientConn conn;
      try {
        conn = channels.waitForService(100);
      } catch (InterruptedException e) {
        return;
      }
      if (conn == null) {
        unserved.increment();
        continue;
      }
      try {
        String backend = InFramework.callId(conn);
        perBackend.computeIfAbsent(backend, b -> new LongAdder()).increment();
      } catch (Exception e) {
        failures.add(Status.fromThrowable(e).toString());
      } catch (Throwable t) {
        failures.add(t.toString());
      }
      synchronized (this) {
        calls++;
        notifyAll();
      }
    }
  }

  /** Waits until {@code more} calls have ended since now; fails after the timeout. */
  void awaitCalls(long more) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(InFramework.TIMEOUT_MS);
    synchronized (this) {
      long target = calls + more;
      while (calls < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("only " + (more - (target - calls)) + " of " + more + " calls");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  /** Waits until {@code backend} has answered a call; fails after the timeout. */
  void awaitBackend(String backend) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(InFramework.TIMEOUT_MS);
    synchronized (this) {
      while (!perBackend.containsKey(backend)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(backend + " never answered: " + perBackend());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
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

  synchronized long calls() {
    return calls;
  }

  long unserved() {
    return unserved.sum();
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
