package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContextTest {
  private static final Context.Key<String> TENANT = new Context.Key<>("tenant");
  private final Deadline.Ticker ticker = () -> 0L; // time stands still
  private final ExecutorService other = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() throws InterruptedException {
    other.shutdown();
    assertTrue(other.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void rootIsCurrentWhereNothingIsAttached() {
    assertSame(Context.ROOT, Context.current());
    assertNull(Context.ROOT.deadline());
    assertFalse(Context.ROOT.isCancelled());
  }

  @Test
  void runMakesAContextCurrentAndRestoresTheOneBefore() {
    Context outer = Context.ROOT.withValue(TENANT, "a");
    Context inner = outer.withValue(TENANT, "b");
    List<String> seen = new ArrayList<>();
    outer.run(
        () -> {
          seen.add(Context.current().get(TENANT));
          inner.run(() -> seen.add(Context.current().get(TENANT)));
          seen.add(Context.current().get(TENANT));
        });
    assertEquals(List.of("a", "b", "a"), seen);
    assertSame(Context.ROOT, Context.current());
  }

  @Test
  void aWrappedTaskCarriesTheContextToAnotherThread() throws Exception {
    Context c = Context.ROOT.withValue(TENANT, "t");
    CompletableFuture<String> plain = new CompletableFuture<>();
    CompletableFuture<String> wrapped = new CompletableFuture<>();
    c.run(
        () -> {
          other.execute(() -> plain.complete(String.valueOf(Context.current().get(TENANT))));
          c.wrap(other).execute(() -> wrapped.complete(Context.current().get(TENANT)));
        });
    assertEquals("null", plain.get(10, TimeUnit.SECONDS), "the thread does not inherit it");
    assertEquals("t", wrapped.get(10, TimeUnit.SECONDS));
  }

  @Test
  void cancellationReachesListenersAndDerivedContextsOnce() throws Exception {
    Context.CancellableContext call = Context.ROOT.withCancellation(null);
    Context derived = call.withValue(TENANT, "t");
    Context.CancellableContext nested = derived.withCancellation(null);
    List<String> heard = new ArrayList<>();
    call.addCancellationListener(() -> heard.add("call"));
    nested.addCancellationListener(() -> heard.add("nested"));
    AutoCloseable removed = derived.addCancellationListener(() -> heard.add("removed"));
    removed.close();

    Status cause = Status.CANCELLED.withDescription("client went away");
    call.cancel(cause);
    call.cancel(Status.OK); // the first cancel wins

    assertEquals(java.util.Set.of("call", "nested"), java.util.Set.copyOf(heard));
    assertEquals(2, heard.size(), "each once");
    assertSame(cause, derived.cancellationCause());
    assertSame(cause, nested.cancellationCause());
    List<String> late = new ArrayList<>();
    nested.addCancellationListener(() -> late.add("at once"));
    assertEquals(List.of("at once"), late);
  }

  @Test
  void aDerivedDeadlineIsTheEarlierOne() {
    Deadline soon = Deadline.after(1, TimeUnit.SECONDS, ticker);
    Deadline later = Deadline.after(5, TimeUnit.SECONDS, ticker);
    Context.CancellableContext call = Context.ROOT.withCancellation(soon);
    assertSame(soon, call.withCancellation(later).deadline());
    assertSame(soon, call.withValue(TENANT, "x").deadline());
    Context.CancellableContext open = Context.ROOT.withCancellation(null);
    assertSame(later, open.withCancellation(later).deadline());
  }
}
