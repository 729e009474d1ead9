package dev.switchboard.api;

import java.util.Objects;

/**
 * A method and the handler serving it.
 *
 * @param method the method
 * @param handler its handler
 * @since 0.1
 */
public record ServerMethodDefinition<ReqT, RespT>(
    MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
  public ServerMethodDefinition {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(handler, "handler");
  }
}
