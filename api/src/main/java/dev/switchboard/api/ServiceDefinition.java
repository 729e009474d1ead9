package dev.switchboard.api;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A service: its name and its methods with their handlers. Immutable.
 *
 * @since 0.1
 */
public final class ServiceDefinition {
  private final String serviceName;
  private final Map<String, ServerMethodDefinition<?, ?>> methods; // by full method name

  private ServiceDefinition(String serviceName, Map<String, ServerMethodDefinition<?, ?>> methods) {
    this.serviceName = serviceName;
    this.methods = methods;
  }

  /**
   * {@return a new builder for a service with no method yet}
   *
   * @param serviceName the fully qualified service name, such as {@code helloworld.Greeter}
   */
  public static Builder newBuilder(String serviceName) {
    return new Builder(serviceName);
  }

  /** {@return the fully qualified service name} */
  public String getServiceName() {
    return serviceName;
  }

  /** {@return the service's methods with their handlers, unmodifiable} */
  public Collection<ServerMethodDefinition<?, ?>> getMethods() {
    return methods.values();
  }

  /**
   * {@return the method with this full name, or {@code null} when the service has none}
   *
   * @param fullMethodName {@code package.Service/Method}
   */
  public ServerMethodDefinition<?, ?> getMethod(String fullMethodName) {
    return methods.get(fullMethodName);
  }

  /** Builds a {@link ServiceDefinition}. Not thread-safe. */
  public static final class Builder {
    private final String serviceName;
    private final Map<String, ServerMethodDefinition<?, ?>> methods = new LinkedHashMap<>();

    private Builder(String serviceName) {
      this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    }

    /**
     * Adds a method and the handler serving it.
     *
     * @param method the method; it must belong to this service
     * @param handler its handler, such as one from {@code ServerCalls}
     * @param <ReqT> request message type
     * @param <RespT> response message type
     * @return this builder
     * @throws IllegalArgumentException when the method belongs to another service or was already
     *     added
     */
    public <ReqT, RespT> Builder addMethod(
        MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
      if (!method.getServiceName().equals(serviceName)) {
        throw new IllegalArgumentException(
            method.getFullMethodName() + " does not belong to service " + serviceName);
      }
      if (methods.putIfAbsent(
              method.getFullMethodName(), new ServerMethodDefinition<>(method, handler))
          != null) {
        throw new IllegalArgumentException("duplicate method " + method.getFullMethodName());
      }
      return this;
    }

    /** {@return a new, immutable service definition} */
    public ServiceDefinition build() {
      return new ServiceDefinition(serviceName, Map.copyOf(methods));
    }
  }
}
