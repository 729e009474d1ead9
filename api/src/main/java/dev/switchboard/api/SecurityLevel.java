package dev.switchboard.api;

/**
 * How well a connection protects what travels over it, from the weakest to the strongest. A
 * transport reports its connections' level as {@link
 * dev.switchboard.api.transport.TransportAttributes#SECURITY_LEVEL}; {@link CallCredentials} state
 * the level they need and are never sent over a weaker connection.
 *
 * @since 0.3
 */
public enum SecurityLevel {
  /** Plaintext: anyone on the path can read and change the traffic. */
  NONE,
  /** Protected against changes, but readable (an integrity-only channel). */
  INTEGRITY,
  /** Encrypted and protected against changes, such as TLS. */
  PRIVACY_AND_INTEGRITY;

  /**
   * {@return whether this level is at least {@code required}}
   *
   * @param required the level needed, not null
   */
  public boolean atLeast(SecurityLevel required) {
    return compareTo(required) >= 0;
  }
}
