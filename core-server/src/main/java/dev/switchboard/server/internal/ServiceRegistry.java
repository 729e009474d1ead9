package dev.switchboard.server.internal;

import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServerMethodDefinition;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The services a server dispatches to, and their methods by full name, each handler wrapped in the
 * server's interceptors when its service is bound (so interceptors apply to services bound later
 * too). Mutable and thread-safe, copy on write: writers build new immutable maps under {@link
 * #lock} and publish them together as one {@link Bindings} snapshot through a volatile field;
 * {@link #lookup}, once per call on a transport thread, is one volatile read and one get on an
 * immutable map: no lock, no allocation. Writes are rare (a service comes or goes) and cost
 * O(methods) each.
 *
 * <p>A call keeps the definition {@link #lookup} gave it, so unbinding a service never touches its
 * calls in flight; the next lookup misses and the call is refused with {@link #unimplemented}.
 */
final class ServiceRegistry {
  private final List<ServerInterceptor> interceptors;
  private final Object lock = new Object();

  /** Replaced, never mutated; written only under {@link #lock}, read without it. */
  private volatile Bindings bindings;

  /**
   * What is bound at one moment.
   *
   * @param methods by full method name, with intercepted handlers
   * @param services by service name, as bound, in binding order; unmodifiable
   */
  private record Bindings(
      Map<String, ServerMethodDefinition<?, ?>> methods, Map<String, ServiceDefinition> services) {}

  /**
   * @throws IllegalArgumentException when two services have the same name
   */
  ServiceRegistry(List<ServiceDefinition> services, List<ServerInterceptor> interceptors) {
    this.interceptors = List.copyOf(interceptors);
    Map<String, ServiceDefinition> byName = new LinkedHashMap<>();
    Map<String, ServerMethodDefinition<?, ?>> byMethod = new HashMap<>();
    for (ServiceDefinition service : services) {
      if (byName.putIfAbsent(service.getServiceName(), service) != null) {
        throw new IllegalArgumentException(
            "service " + service.getServiceName() + " is added twice");
      }
      putMethods(byMethod, service);
    }
    bindings = new Bindings(Map.copyOf(byMethod), Collections.unmodifiableMap(byName));
  }

  /** The method called {@code fullMethodName}, intercepted, or {@code null}. */
  ServerMethodDefinition<?, ?> lookup(String fullMethodName) {
    return bindings.methods.get(fullMethodName);
  }

  /**
   * Why no method called {@code fullMethodName} is bound, in grpc-go's words: {@code unknown
   * service S}, or {@code unknown method M for service S} when {@code S} is bound.
   */
  Status unimplemented(String fullMethodName) {
    int slash = fullMethodName.lastIndexOf('/');
    if (slash < 0) {
      return Status.UNIMPLEMENTED.withDescription("malformed method name: " + fullMethodName);
    }
    String service = fullMethodName.substring(0, slash);
    if (!bindings.services.containsKey(service)) {
      return Status.UNIMPLEMENTED.withDescription("unknown service " + service);
    }
    return Status.UNIMPLEMENTED.withDescription(
        "unknown method " + fullMethodName.substring(slash + 1) + " for service " + service);
  }

  /** Every bound method, intercepted, in no particular order. */
  Collection<ServerMethodDefinition<?, ?>> methods() {
    return bindings.methods.values();
  }

  /** The bound services, in binding order; an immutable snapshot. */
  List<ServiceDefinition> services() {
    return List.copyOf(bindings.services.values());
  }

  /**
   * Binds {@code service}.
   *
   * @throws IllegalArgumentException when a service of its name is bound
   */
  void add(ServiceDefinition service) {
    Objects.requireNonNull(service, "service");
    synchronized (lock) {
      if (bindings.services.containsKey(service.getServiceName())) {
        throw new IllegalArgumentException(
            "service "
                + service.getServiceName()
                + " is already bound; remove it first or replace it");
      }
      rebind(service.getServiceName(), null, service);
    }
  }

  /** Binds {@code service} in place of the one of its name; returns that one, or null. */
  ServiceDefinition replace(ServiceDefinition service) {
    Objects.requireNonNull(service, "service");
    synchronized (lock) {
      ServiceDefinition previous = bindings.services.get(service.getServiceName());
      rebind(service.getServiceName(), previous, service);
      return previous;
    }
  }

  /** Unbinds the service called {@code serviceName}; returns it, or null when none was bound. */
  ServiceDefinition remove(String serviceName) {
    Objects.requireNonNull(serviceName, "serviceName");
    synchronized (lock) {
      ServiceDefinition previous = bindings.services.get(serviceName);
      if (previous != null) {
        rebind(serviceName, previous, null);
      }
      return previous;
    }
  }

  /** Unbinds {@code service} if this very instance is bound; returns whether it was. */
  boolean remove(ServiceDefinition service) {
    Objects.requireNonNull(service, "service");
    synchronized (lock) {
      if (bindings.services.get(service.getServiceName()) != service) {
        return false;
      }
      rebind(service.getServiceName(), service, null);
      return true;
    }
  }

  // Holds lock. Copies the maps, swaps previous (may be null) for next (null: unbind), publishes.
  private void rebind(String serviceName, ServiceDefinition previous, ServiceDefinition next) {
    Bindings current = bindings;
    Map<String, ServerMethodDefinition<?, ?>> byMethod = new HashMap<>(current.methods);
    if (previous != null) {
      for (ServerMethodDefinition<?, ?> method : previous.getMethods()) {
        byMethod.remove(method.method().getFullMethodName());
      }
    }
    Map<String, ServiceDefinition> byName = new LinkedHashMap<>(current.services);
    if (next != null) {
      putMethods(byMethod, next);
      byName.put(serviceName, next); // a replacement keeps its predecessor's place
    } else {
      byName.remove(serviceName);
    }
    bindings = new Bindings(Map.copyOf(byMethod), Collections.unmodifiableMap(byName));
  }

  private void putMethods(
      Map<String, ServerMethodDefinition<?, ?>> byMethod, ServiceDefinition service) {
    // A service's methods all carry its name (ServiceDefinition.Builder checks), so services of
    // different names never share a method.
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      byMethod.put(method.method().getFullMethodName(), intercepted(method, interceptors));
    }
  }

  private static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> intercepted(
      ServerMethodDefinition<ReqT, RespT> method, List<ServerInterceptor> interceptors) {
    if (interceptors.isEmpty()) {
      return method;
    }
    return new ServerMethodDefinition<>(
        method.method(), ServerInterceptor.intercept(method.handler(), interceptors));
  }
}
