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

  public static Builder newBuilder(String serviceName) {
    return new Builder(serviceName);
  }

  public String getServiceName() {
    return serviceName;
  }

  public Collection<ServerMethodDefinition<?, ?>> getMethods() {
    return methods.values();
  }

  /** The method with this full name, or {@code null}. */
  public ServerMethodDefinition<?, ?> getMethod(String fullMethodName) {
    return methods.get(fullMethodName);
  }

  /** Builds a {@link ServiceDefinition}. */
  public static final class Builder {
    private final String serviceName;
    private final Map<String, ServerMethodDefinition<?, ?>> methods = new LinkedHashMap<>();

    private Builder(String serviceName) {
      this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    }

    public <ReqT, RespT> Builder addMethod(
        MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
      if (!method.getServiceName().equals(serviceName)) {
        throw new IllegalArgumentException(
            method.getFullMethodName() + " does not belong to service " + serviceName);
      }
      if (methods.putIfAbsent(method.getFullMethodName(), new ServerMethodDefinition<>(method, handler)) != null) {
        throw new IllegalArgumentException("duplicate method " + method.getFullMethodName());
      }
      return this;
    }

    public ServiceDefinition build() {
      return new ServiceDefinition(serviceName, Map.copyOf(methods));
    }
  }
}
