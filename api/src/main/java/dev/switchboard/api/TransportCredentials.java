package dev.switchboard.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * How a connection is secured, on either side: a channel's {@link
 * DialOptions.Builder#credentials(TransportCredentials)} or a server's {@link
 * ServerOptions.Builder#credentials(TransportCredentials)}. Must be chosen explicitly on both
 * sides: Switchboard never falls back to plaintext silently.
 *
 * <p>The kinds are open: {@link #insecure()} (plaintext h2c), {@link TlsCredentials} (TLS with ALPN
 * {@code h2}), {@link CompositeCredentials} (secure transport credentials plus {@link
 * CallCredentials} for every call, channels only), and any subclass a third party defines for a
 * transport that understands it. A transport given a kind it does not understand refuses it with an
 * {@link IllegalArgumentException} naming the kind.
 *
 * @since 0.1
 */
@ConsumerType
public abstract class TransportCredentials {
  private static final TransportCredentials INSECURE = new Insecure();

  /**
   * For subclasses: a kind of credentials that some transport understands.
   *
   * @since 0.3
   */
  protected TransportCredentials() {}

  /** {@return the credentials for plaintext HTTP/2 with prior knowledge (h2c), a singleton} */
  public static TransportCredentials insecure() {
    return INSECURE;
  }

  /**
   * {@return whether these credentials mean plaintext} Only {@link #insecure()} answers {@code
   * true}.
   */
  public boolean isInsecure() {
    return false;
  }

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
