package dev.switchboard.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How a connection is secured. Must be chosen explicitly when dialing: Switchboard never falls back
 * to plaintext silently. Transports reject credentials they do not support with a clear error.
 *
 * @since 0.1
 */
@ProviderType
public abstract class TransportCredentials {
  private static final TransportCredentials INSECURE = new Insecure();

  TransportCredentials() {}

  /** {@return the credentials for plaintext HTTP/2 with prior knowledge (h2c), a singleton} */
  public static TransportCredentials insecure() {
    return INSECURE;
  }

  /** {@return whether these credentials mean plaintext} */
  public abstract boolean isInsecure();

  private static final class Insecure extends TransportCredentials {
    @Override
    public boolean isInsecure() {
      return true;
    }

    @Override
    public String toString() {
      return "insecure";
    }
  }
}
