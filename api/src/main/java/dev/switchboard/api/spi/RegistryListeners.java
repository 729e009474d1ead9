package dev.switchboard.api.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ProviderRegistry}'s listeners and how they are told which names changed winner: on the
 * thread that made the change, outside the registry's lock, each failure logged and the others
 * still told. Thread-safe.
 */
final class RegistryListeners {
  private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

  private final List<ProviderRegistry.Listener> listeners = new CopyOnWriteArrayList<>();

  void add(ProviderRegistry.Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  void remove(ProviderRegistry.Listener listener) {
    listeners.remove(listener);
  }

  /** Tells every listener that the winners of {@code changed} changed; nothing when empty. */
  void changed(Set<String> changed) {
    if (changed.isEmpty()) {
      return;
    }
    Set<String> names = Set.copyOf(changed);
    for (ProviderRegistry.Listener l : listeners) {
      try {
        l.providersChanged(names);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "registry listener failed", e);
      }
    }
  }
}
