package dev.switchboard.distribution.demo;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Status;
import dev.switchboard.examples.helloworld.GreeterSwitchboard;
import dev.switchboard.examples.helloworld.GreeterSwitchboard.GreeterBlockingStub;
import dev.switchboard.examples.helloworld.HelloRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Blocking unary calls in a loop from several threads, each with a deadline. Each call is counted
 * in the {@link DemoPhase} current when it started (so a call sent before a change is never blamed
 * on the next phase); every unexpected failure is kept with its status, and one the phase expects
 * is counted by the phase only.
 */
final class DemoLoad {
  private final GreeterBlockingStub greeter;
  private final AtomicReference<DemoPhase> phase;
  private final List<Thread> threads = new ArrayList<>();

  /** The phase of each caller's call in flight (or last call), by caller index. */
  private AtomicReferenceArray<DemoPhase> callerPhases;

  /** Released whenever a caller starts a call in a phase other than its previous one's. */
  private final Semaphore callerMoved = new Semaphore(0);

  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final LongAdder calls = new LongAdder();
  private final LongAdder expectedFailures = new LongAdder();
  private volatile boolean running;

  DemoLoad(ClientConn channel, DemoPhase first) {
    this.greeter = GreeterSwitchboard.newBlockingStub(channel);
    this.phase = new AtomicReference<>(first);
  }

  void start(int threadCount) {
    running = true;
    callerPhases = new AtomicReferenceArray<>(threadCount);
    for (int i = 0; i < threadCount; i++) {
      int caller = i;
      Thread t = new Thread(() -> loop(caller), "switchboard-demo-caller-" + (i + 1));
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Makes {@code next} the phase that counts from now on. */
  void enter(DemoPhase next) {
    phase.set(next);
  }

  /**
   * Makes {@code next} the phase that counts from now on and waits until no call of an earlier
   * phase is in flight: every caller has started a call in {@code next}. Then a change that fails
   * calls (which {@code next} expects) cannot fail a call counted in an earlier phase.
   */
  void enterSettled(DemoPhase next, long timeout, TimeUnit unit) throws InterruptedException {
    phase.set(next);
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (!allIn(next)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(
            "callers still busy with calls of an earlier phase than '" + next.label + "'");
      }
      callerMoved.tryAcquire(left, TimeUnit.NANOSECONDS);
    }
  }

  private boolean allIn(DemoPhase next) {
    for (int i = 0; i < callerPhases.length(); i++) {
      if (callerPhases.get(i) != next) {
        return false;
      }
    }
    return true;
  }

  private void loop(int caller) {
    HelloRequest request = HelloRequest.newBuilder().setName("demo").build();
    while (running) {
      DemoPhase current = phase.get();
      if (callerPhases.getAndSet(caller, current) != current) {
        callerMoved.release();
      }
      try {
        // A stub's deadline is fixed when the stub is made: a fresh one per call.
        String backend =
            greeter.withDeadlineAfter(10, TimeUnit.SECONDS).sayHello(request).getBackend();
        current.answered(backend);
      } catch (RuntimeException e) {
        Status status = Status.fromThrowable(e);
        if (current.failed(status)) {
          failures.add(current.label + ": " + status);
        } else {
          expectedFailures.increment();
        }
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

  /** Calls that failed as their phase expected. */
  long expectedFailures() {
    return expectedFailures.sum();
  }

  /** Calls that failed although their phase did not expect it. */
  long failedCalls() {
    return failures.size();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }
}
