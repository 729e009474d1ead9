package dev.switchboard.server.internal;

import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServerMethodDefinition;
import dev.switchboard.api.ServiceDefinition;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's methods by full name, each handler already wrapped in the server's interceptors.
 * Immutable and thread-safe; built once per server.
 */
final class MethodRegistry {
  private final Map<String, ServerMethodDefinition<?, ?>> methods;

  /**
   * @throws IllegalArgumentException when two services define the same full method name
   */
  MethodRegistry(List<ServiceDefinition> services, List<ServerInterceptor> interceptors) {
    Map<String, ServerMethodDefinition<?, ?>> byName = new HashMap<>();
    for (ServiceDefinition service : services) {
      for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
        String name = method.method().getFullMethodName();
        if (byName.putIfAbsent(name, intercepted(method, interceptors)) != null) {
          throw new IllegalArgumentException(
              "method "
                  + name
                  + " is defined twice (again by service "
                  + service.getServiceName()
                  + ")");
        }
      }
    }
    methods = Map.copyOf(byName);
  }

  private static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> intercepted(
      ServerMethodDefinition<ReqT, RespT> method, List<ServerInterceptor> interceptors) {
    if (interceptors.isEmpty()) {
      return method;
    }
    return new ServerMethodDefinition<>(
        method.method(), ServerInterceptor.intercept(method.handler(), interceptors));
  }

  /** Every method, in no particular order. */
  Collection<ServerMethodDefinition<?, ?>> methods() {
    return methods.values();
  }

  /** The method called {@code fullMethodName}, or {@code null}. */
  ServerMethodDefinition<?, ?> lookup(String fullMethodName) {
    return methods.get(fullMethodName);
  }
}
