package dev.switchboard.api.spi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ProviderRegistry}'s deregistered registrations whose leases are not all closed yet: what
 * {@link ProviderRegistry#revoke(Object)} asks to let go. An entry leaves once released.
 * Thread-safe.
 *
 * @param <P> provider type
 */
final class DepartingEntries<P> {
  private final Set<RegistrationEntry<P>> departing = ConcurrentHashMap.newKeySet();

  /** Marks {@code entry} deregistered; it stays here until its last lease closes. */
  void deregistered(RegistrationEntry<P> entry) {
    entry.deregistered(departing);
  }

  /** Revokes every departing registration of {@code provider}; returns the actions run. */
  int revoke(P provider) {
    int n = 0;
    for (RegistrationEntry<P> e : departing) {
      if (e.registration.provider() == provider) {
        n += e.revoke();
      }
    }
    return n;
  }
}
