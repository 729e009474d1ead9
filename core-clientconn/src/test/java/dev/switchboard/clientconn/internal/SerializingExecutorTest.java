package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import dev.switchboard.testing.UncaughtErrors;
import org.junit.jupiter.api.Test;

class SerializingExecutorTest {
  @Test
  void runsInOrderWithoutReentering() {
    List<Runnable> pool = new ArrayList<>();
    SerializingExecutor executor = new SerializingExecutor(pool::add);
    List<String> ran = new ArrayList<>();
    executor.execute(() -> {
      ran.add("a");
      executor.execute(() -> ran.add("c"));
      ran.add("b");
    });
    executor.execute(() -> {
      throw new IllegalStateException("ignored");
    });
    executor.execute(() -> ran.add("d"));
    assertEquals(1, pool.size(), "one drain task at a time");
    pool.remove(0).run();
    assertEquals(List.of("a", "b", "d", "c"), ran);
    assertEquals(List.of("ignored"), UncaughtErrors.takeMessages(),
        "the failure is logged as an error");
  }

  @Test
  void rejectedTasksRunOnTheCaller() {
    SerializingExecutor executor = new SerializingExecutor(r -> {
      throw new RejectedExecutionException("full");
    });
    List<String> ran = new ArrayList<>();
    executor.execute(() -> ran.add("x"));
    assertEquals(List.of("x"), ran);
  }
}
