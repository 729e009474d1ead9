package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ConnectivityState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The channel's aggregate connectivity state and its one-shot watchers. The state is readable from
 * any thread; it changes, and watchers are added, only in the serializer. SHUTDOWN is final.
 */
final class ConnectivityStateManager {
  private static final System.Logger LOG =
      System.getLogger(ConnectivityStateManager.class.getName());

  private record Watcher(ConnectivityState source, Runnable callback, Executor executor) {}

  private volatile ConnectivityState state = ConnectivityState.IDLE;
  // Only touched in the serializer.
  private List<Watcher> watchers = new ArrayList<>();

  ConnectivityState state() {
    return state;
  }

  /** Moves to {@code newState} and runs the watchers waiting for a change. Serializer only. */
  void gotoState(ConnectivityState newState) {
    if (state == newState || state == ConnectivityState.SHUTDOWN) {
      return;
    }
    state = newState;
    List<Watcher> fire = watchers;
    watchers = new ArrayList<>();
    for (Watcher w : fire) {
      run(w); // every watcher waited on the previous state
    }
  }

  /** Runs {@code callback} once the state differs from {@code source}. Serializer only. */
  void notifyWhenStateChanged(ConnectivityState source, Runnable callback, Executor executor) {
    Watcher w = new Watcher(source, callback, executor);
    if (state != source) {
      run(w);
    } else {
      watchers.add(w);
    }
  }

  private static void run(Watcher w) {
    try {
      w.executor().execute(w.callback());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "state-change callback failed", e);
    }
  }
}
