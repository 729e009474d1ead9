package dev.switchboard.api;

import java.util.Objects;

/**
 * Secure transport credentials plus {@link CallCredentials} applied to every call of the channel,
 * such as TLS plus a bearer token. Only for channels: a server refuses them. Immutable.
 *
 * @since 0.3
 */
public final class CompositeCredentials extends TransportCredentials {
  private final TransportCredentials transportCredentials;
  private final CallCredentials callCredentials;

  private CompositeCredentials(TransportCredentials transport, CallCredentials call) {
    this.transportCredentials = transport;
    this.callCredentials = call;
  }

  /**
   * {@return credentials securing connections with {@code transport} and adding {@code call}'s
   * metadata to every call}
   *
   * @param transport how connections are secured, not null, neither {@link #insecure()} (the call
   *     credentials would travel in plaintext) nor composite
   * @param call what every call carries, not null
   * @throws IllegalArgumentException when {@code transport} is insecure or composite
   */
  public static CompositeCredentials of(TransportCredentials transport, CallCredentials call) {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(call, "call");
    if (transport.isInsecure()) {
      throw new IllegalArgumentException(
          "call credentials need secure transport credentials (such as TlsCredentials): over "
              + "insecure() they would be sent in plaintext");
    }
    if (transport instanceof CompositeCredentials) {
      throw new IllegalArgumentException("composite credentials cannot be nested");
    }
    return new CompositeCredentials(transport, call);
  }

  /** {@return how connections are secured} */
  public TransportCredentials transportCredentials() {
    return transportCredentials;
  }

  /** {@return what every call carries} */
  public CallCredentials callCredentials() {
    return callCredentials;
  }

  @Override
  public String toString() {
    return "CompositeCredentials{" + transportCredentials + " + " + callCredentials + "}";
  }
}
