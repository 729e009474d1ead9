package dev.switchboard.api;

import java.util.Objects;

/**
 * A method and the handler serving it.
 *
 * @param method the method
 * @param handler its handler
 * @param <ReqT> request message type
 * @param <RespT> response message type
 * @since 0.1
 */
public record ServerMethodDefinition<ReqT, RespT>(
    MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
  /**
   * Checks the components.
   *
   * @param method the method, not null
   * @param handler its handler, not null
   * @throws NullPointerException when either is null
   */
  public ServerMethodDefinition {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(handler, "handler");
  }
}
