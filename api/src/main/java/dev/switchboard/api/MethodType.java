package dev.switchboard.api;

/**
 * The four kinds of gRPC method.
 *
 * @since 0.1
 */
public enum MethodType {
  UNARY(false, false),
  CLIENT_STREAMING(true, false),
  SERVER_STREAMING(false, true),
  BIDI_STREAMING(true, true);

  private final boolean clientSendsMany;
  private final boolean serverSendsMany;

  MethodType(boolean clientSendsMany, boolean serverSendsMany) {
    this.clientSendsMany = clientSendsMany;
    this.serverSendsMany = serverSendsMany;
  }

  /** True when the client sends exactly one message. */
  public boolean clientSendsOneMessage() {
    return !clientSendsMany;
  }

  /** True when the server sends exactly one message. */
  public boolean serverSendsOneMessage() {
    return !serverSendsMany;
  }
}
