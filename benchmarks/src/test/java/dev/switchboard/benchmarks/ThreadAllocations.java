package dev.switchboard.benchmarks;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Bytes allocated by the JVM's live threads, read from the per-thread counters of {@link
 * ThreadMXBean#getThreadAllocatedBytes(long[])} (exact: every object a thread allocates on the
 * heap, whether or not a collection has run since).
 *
 * <p>A thread's counter disappears with it: a window is only {@linkplain Window#complete()
 * complete} when every thread alive at its start is alive at its end. Threads born during the
 * window count whole. The thread taking the snapshots is left out of them (reading names
 * allocates); the caller brackets its own work with {@link #currentThreadBytes()}, which does not
 * allocate.
 */
final class ThreadAllocations {
  private static final ThreadMXBean MX = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Counters of every live thread but the caller, and their names. */
  record Snapshot(Map<Long, Long> bytes, Map<Long, String> names) {}

  /** What happened between two snapshots. */
  record Window(Map<String, Long> bytesByThread, Set<String> died) {
    /** True when no thread alive at the start died before the end (no counter was lost). */
    boolean complete() {
      return died.isEmpty();
    }

    /** Bytes allocated by the threads whose names match. */
    long bytes(Predicate<String> threadName) {
      long sum = 0;
      for (Map.Entry<String, Long> e : bytesByThread.entrySet()) {
        if (threadName.test(e.getKey())) {
          sum += e.getValue();
        }
      }
      return sum;
    }
  }

  private ThreadAllocations() {}

  /**
   * Fails unless the JVM counts allocations per thread (HotSpot does, and enables it by default).
   */
  static void requireSupported() {
    if (!MX.isThreadAllocatedMemorySupported()) {
      throw new IllegalStateException("this JVM does not count allocated bytes per thread");
    }
    MX.setThreadAllocatedMemoryEnabled(true);
    long first = MX.getCurrentThreadAllocatedBytes();
    if (MX.getCurrentThreadAllocatedBytes() != first) {
      throw new IllegalStateException("reading this thread's counter allocates: cannot bracket");
    }
  }

  /** Bytes the calling thread has allocated so far; allocates nothing itself. */
  static long currentThreadBytes() {
    return MX.getCurrentThreadAllocatedBytes();
  }

  /** Every live thread's counter, the calling thread excepted. */
  static Snapshot snapshot() {
    long self = Thread.currentThread().getId();
    long[] ids = MX.getAllThreadIds();
    long[] bytes = MX.getThreadAllocatedBytes(ids);
    ThreadInfo[] infos = MX.getThreadInfo(ids, 0);
    Map<Long, Long> byId = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      // -1: the thread died between the two calls; null info: same.
      if (ids[i] != self && bytes[i] >= 0 && infos[i] != null) {
        byId.put(ids[i], bytes[i]);
        names.put(ids[i], infos[i].getThreadName());
      }
    }
    return new Snapshot(byId, names);
  }

  /** Names of the live threads, the calling thread excepted. */
  static Set<String> threadNames() {
    return new HashSet<>(snapshot().names().values());
  }

  /** Per thread (by name) what it allocated from {@code start} to {@code end}. */
  static Window between(Snapshot start, Snapshot end) {
    Map<String, Long> byName = new HashMap<>();
    for (Map.Entry<Long, Long> e : end.bytes().entrySet()) {
      long before = start.bytes().getOrDefault(e.getKey(), 0L);
      byName.merge(end.names().get(e.getKey()), e.getValue() - before, Long::sum);
    }
    Set<String> died = new HashSet<>();
    for (Long id : start.bytes().keySet()) {
      if (!end.bytes().containsKey(id)) {
        died.add(start.names().get(id));
      }
    }
    return new Window(byName, died);
  }
}
