package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ClientConn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The channels created by {@code dev.switchboard.clientconn.ClientConns} that are not closed yet,
 * for {@code ClientConns.liveChannels()}. Held weakly: a channel dropped without being closed
 * leaves the registry when it is garbage collected, so the registry never keeps a channel alive.
 * Shutting a channel down ({@code shutdown()}, {@code shutdownNow()}, {@code close()}) removes it.
 *
 * <p>Touched only when a channel is created, closed or listed, never on the call path. One lock, a
 * leaf: nothing else is called while it is held.
 */
public final class LiveChannels {
  private static final Object LOCK = new Object();

  /** Channel → creation sequence number (identity keys: ClientConnImpl keeps Object.equals). */
  private static final Map<ClientConnImpl, Long> LIVE = new WeakHashMap<>(); // guarded by LOCK

  private static long nextSequence; // guarded by LOCK

  private LiveChannels() {}

  /** Adds a newly created channel; a channel already closed is not added. */
  public static void add(ClientConnImpl conn) {
    synchronized (LOCK) {
      // Checked under the lock: a close() after this check removes the channel after we add it.
      if (!conn.isShutdown()) {
        LIVE.put(conn, nextSequence++);
      }
    }
  }

  /** Removes a channel being closed; nothing when it was never added. */
  static void remove(ClientConnImpl conn) {
    synchronized (LOCK) {
      LIVE.remove(conn);
    }
  }

  /** The registered channels not shut down, oldest first; a new immutable list. */
  public static List<ClientConn> snapshot() {
    List<Map.Entry<ClientConnImpl, Long>> entries;
    synchronized (LOCK) {
      entries = new ArrayList<>(LIVE.size());
      for (Map.Entry<ClientConnImpl, Long> e : LIVE.entrySet()) {
        entries.add(Map.entry(e.getKey(), e.getValue())); // strong copies: keys may clear later
      }
    }
    entries.sort(Map.Entry.comparingByValue());
    List<ClientConn> out = new ArrayList<>(entries.size());
    for (Map.Entry<ClientConnImpl, Long> e : entries) {
      if (!e.getKey().isShutdown()) {
        out.add(e.getKey());
      }
    }
    return List.copyOf(out);
  }
}
