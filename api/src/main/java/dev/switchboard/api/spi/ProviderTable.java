package dev.switchboard.api.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registrations of a {@link ProviderRegistry} and the ranking over them: changes are rare and
 * serialized by one lock, and each publishes immutable snapshots (winner per name, registrations
 * per name, best first) that lookups read without a lock. Each change returns the names whose
 * winner changed, for the registry to tell its listeners outside the lock.
 *
 * @param <P> provider type
 */
final class ProviderTable<P> {
  private final Object lock = new Object();
  // Guarded by lock.
  private final List<RegistrationEntry<P>> entries = new ArrayList<>();
  private long nextOrder;
  // Immutable snapshots, replaced under lock.
  private volatile Map<String, ProviderRegistry.Registration<P>> winners = Map.of();
  private volatile Map<String, List<RegistrationEntry<P>>> byName = Map.of();

  /** The winner for {@code name}, or null. Lock-free. */
  ProviderRegistry.Registration<P> winner(String name) {
    return winners.get(name);
  }

  /** Every winner, by name: an immutable snapshot. Lock-free. */
  Map<String, ProviderRegistry.Registration<P>> winners() {
    return winners;
  }

  /** Every registration for {@code name}, best first: an immutable snapshot. Lock-free. */
  List<ProviderRegistry.Registration<P>> registrations(String name) {
    List<RegistrationEntry<P>> list = byName.get(name);
    if (list == null) {
      return List.of();
    }
    List<ProviderRegistry.Registration<P>> out = new ArrayList<>(list.size());
    for (RegistrationEntry<P> e : list) {
      out.add(e.registration);
    }
    return Collections.unmodifiableList(out);
  }

  /** The winning provider per name: an immutable snapshot. Lock-free. */
  Map<String, P> providers() {
    Map<String, P> out = new HashMap<>();
    winners.forEach((k, v) -> out.put(k, v.provider()));
    return Collections.unmodifiableMap(out);
  }

  /** The entries for {@code name}, best first, or null when none. Lock-free. */
  List<RegistrationEntry<P>> entries(String name) {
    return byName.get(name);
  }

  /**
   * Adds a registration, given the next order; returns the names whose winner changed, or null when
   * {@code provider} is registered already.
   */
  Set<String> add(
      P provider, String name, int ranking, int priority, String origin, Runnable onReleased) {
    synchronized (lock) {
      for (RegistrationEntry<P> e : entries) {
        if (e.registration.provider() == provider) {
          return null;
        }
      }
      entries.add(
          new RegistrationEntry<>(
              new ProviderRegistry.Registration<>(
                  provider, name, ranking, priority, nextOrder++, origin),
              onReleased));
      return recompute();
    }
  }

  /**
   * Gives a registered provider a new ranking in place; returns the names whose winner changed
   * (empty when it had that ranking already), or null when {@code provider} is not registered.
   */
  Set<String> updateRanking(P provider, int ranking) {
    synchronized (lock) {
      RegistrationEntry<P> entry = null;
      for (RegistrationEntry<P> e : entries) {
        if (e.registration.provider() == provider) {
          entry = e;
        }
      }
      if (entry == null) {
        return null;
      }
      ProviderRegistry.Registration<P> r = entry.registration;
      if (r.ranking() == ranking) {
        return Set.of();
      }
      entry.registration =
          new ProviderRegistry.Registration<>(
              r.provider(), r.name(), ranking, r.priority(), r.order(), r.origin());
      return recompute();
    }
  }

  /**
   * Removes {@code provider}'s entries into {@code removed}; returns the names whose winner
   * changed, or null when it was not registered.
   */
  Set<String> remove(P provider, List<RegistrationEntry<P>> removed) {
    synchronized (lock) {
      for (Iterator<RegistrationEntry<P>> it = entries.iterator(); it.hasNext(); ) {
        RegistrationEntry<P> e = it.next();
        if (e.registration.provider() == provider) {
          it.remove();
          removed.add(e);
        }
      }
      return removed.isEmpty() ? null : recompute();
    }
  }

  private Set<String> recompute() {
    Map<String, List<RegistrationEntry<P>>> grouped = new HashMap<>();
    for (RegistrationEntry<P> e : entries) {
      grouped.computeIfAbsent(e.registration.name(), k -> new ArrayList<>()).add(e);
    }
    Map<String, ProviderRegistry.Registration<P>> next = new HashMap<>();
    Map<String, List<RegistrationEntry<P>>> nextByName = new HashMap<>();
    for (Map.Entry<String, List<RegistrationEntry<P>>> g : grouped.entrySet()) {
      List<RegistrationEntry<P>> list = g.getValue();
      list.sort(Ranking.BEST_FIRST);
      nextByName.put(g.getKey(), List.copyOf(list));
      next.put(g.getKey(), list.get(0).registration);
    }
    Map<String, ProviderRegistry.Registration<P>> prev = winners;
    Set<String> changed = new HashSet<>();
    for (String n : prev.keySet()) {
      if (!next.containsKey(n) || next.get(n) != prev.get(n)) {
        changed.add(n);
      }
    }
    for (String n : next.keySet()) {
      if (!prev.containsKey(n)) {
        changed.add(n);
      }
    }
    byName = Map.copyOf(nextByName);
    winners = Map.copyOf(next);
    return changed;
  }
}
