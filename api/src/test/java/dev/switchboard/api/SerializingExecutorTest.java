package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class SerializingExecutorTest {
  @Test
  void runsInOrderWithoutReenteringAndSurvivesATaskThatThrows() {
    List<Runnable> pool = new ArrayList<>();
    SerializingExecutor executor = new SerializingExecutor(pool::add);
    List<String> ran = new ArrayList<>();
    executor.execute(
        () -> {
          ran.add("a");
          executor.execute(() -> ran.add("c"));
          ran.add("b");
        });
    executor.execute(
        () -> {
          throw new IllegalStateException("logged, not rethrown");
        });
    executor.execute(() -> ran.add("d"));
    assertEquals(1, pool.size(), "one drain handed to the delegate at a time");
    pool.remove(0).run();
    assertEquals(List.of("a", "b", "d", "c"), ran);
    assertEquals(List.of(), pool, "the drain emptied the queue");

    executor.execute(() -> ran.add("e"));
    assertEquals(1, pool.size(), "the next task schedules a new drain");
    pool.remove(0).run();
    assertEquals(List.of("a", "b", "d", "c", "e"), ran);
  }

  @Test
  void rejectedTasksRunOnTheSubmittingThreadInOrder() {
    List<Thread> threads = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    SerializingExecutor executor =
        new SerializingExecutor(
            r -> {
              throw new RejectedExecutionException("full");
            });
    executor.execute(
        () -> {
          threads.add(Thread.currentThread());
          ran.add("x");
          executor.execute(() -> ran.add("y")); // queued behind x, not run inside it
          ran.add("x-end");
        });
    assertEquals(List.of("x", "x-end", "y"), ran);
    assertSame(Thread.currentThread(), threads.get(0));
  }

  @Test
  void aRejectionDoesNotStickOnceTheDelegateAcceptsAgain() {
    List<Runnable> pool = new ArrayList<>();
    boolean[] reject = {true};
    SerializingExecutor executor =
        new SerializingExecutor(
            r -> {
              if (reject[0]) {
                throw new RejectedExecutionException("full");
              }
              pool.add(r);
            });
    List<String> ran = new ArrayList<>();
    executor.execute(() -> ran.add("inline"));
    reject[0] = false;
    executor.execute(() -> ran.add("pooled"));
    assertEquals(List.of("inline"), ran);
    pool.remove(0).run();
    assertEquals(List.of("inline", "pooled"), ran);
  }
}
