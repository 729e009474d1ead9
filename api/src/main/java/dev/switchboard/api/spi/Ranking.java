package dev.switchboard.api.spi;

import java.util.Comparator;

/**
 * Which of the registrations for one name wins: the higher {@code ranking} (OSGi {@code
 * service.ranking}; 0 for ServiceLoader), then the higher provider priority, then the earlier
 * registration, so that the same name from two bundles never flaps.
 */
final class Ranking {
  /** Orders a name's entries best first. */
  static final Comparator<RegistrationEntry<?>> BEST_FIRST =
      (a, b) ->
          better(a.registration, b.registration)
              ? -1
              : better(b.registration, a.registration) ? 1 : 0;

  private Ranking() {}

  /** Whether {@code a} wins over {@code b}. */
  static boolean better(ProviderRegistry.Registration<?> a, ProviderRegistry.Registration<?> b) {
    if (a.ranking() != b.ranking()) {
      return a.ranking() > b.ranking();
    }
    if (a.priority() != b.priority()) {
      return a.priority() > b.priority();
    }
    return a.order() < b.order();
  }
}
