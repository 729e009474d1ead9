package dev.switchboard.api;

/**
 * The four kinds of gRPC method.
 *
 * @since 0.1
 */
public enum MethodType {
  /** One request, one response. */
  UNARY(false, false),
  /** Any number of requests, one response. */
  CLIENT_STREAMING(true, false),
  /** One request, any number of responses. */
  SERVER_STREAMING(false, true),
  /** Any number of requests and responses, interleaved as the two sides like. */
  BIDI_STREAMING(true, true);

  private final boolean clientSendsMany;
  private final boolean serverSendsMany;

  MethodType(boolean clientSendsMany, boolean serverSendsMany) {
    this.clientSendsMany = clientSendsMany;
    this.serverSendsMany = serverSendsMany;
  }

  /** {@return whether the client sends exactly one message} */
  public boolean clientSendsOneMessage() {
    return !clientSendsMany;
  }

  /** {@return whether the server sends exactly one message (on success)} */
  public boolean serverSendsOneMessage() {
    return !serverSendsMany;
  }
}
