package dev.switchboard.osgi.server.internal;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServerMethodDefinition;
import dev.switchboard.api.ServiceDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps a server's services in step with the whiteboard: knows every candidate service and
 * interceptor (by OSGi {@code service.id}, with its {@code service.ranking}), and binds to the
 * server, per gRPC service name, the candidate that wins (higher ranking, then lower id) wrapped in
 * the interceptors (higher ranking first, so it sees each call first). Has no OSGi type, so it is
 * tested without a framework.
 *
 * <p>Every change is applied at once with {@link Server#replaceService} and {@link
 * Server#removeService(ServiceDefinition)}: a call started before it keeps what it started with, so
 * swapping a winner or the interceptors fails no call, and removing a service lets its running
 * calls finish.
 *
 * <p>Thread-safe: every method takes {@link #lock}, under which only the server's (non-blocking,
 * snapshot-swapping) binding methods are called, never a framework or user method.
 */
final class ServiceBinder {
  /** A candidate service: its OSGi identity and ranking, and its definition. */
  record Candidate(long id, int ranking, ServiceDefinition definition) {}

  /** A candidate interceptor. */
  record Interceptor(long id, int ranking, ServerInterceptor interceptor) {}

  /** What is bound under one name: which candidate, with which interceptor chain, as what. */
  private record Bound(Candidate from, List<ServerInterceptor> chain, ServiceDefinition applied) {}

  /** Higher ranking first, then lower service id (the OSGi order of preference). */
  private static final Comparator<Candidate> PREFERRED =
      Comparator.comparingInt(Candidate::ranking).reversed().thenComparingLong(Candidate::id);

  private static final Comparator<Interceptor> OUTERMOST_FIRST =
      Comparator.comparingInt(Interceptor::ranking).reversed().thenComparingLong(Interceptor::id);

  private final Object lock = new Object();

  // Guarded by lock.
  private Server server;
  private final Map<Long, Candidate> candidates = new HashMap<>();
  private final Map<Long, Interceptor> interceptors = new HashMap<>();

  /** The interceptors in call order; replaced (never mutated) when they change. */
  private List<ServerInterceptor> chain = List.of();

  /** What this binder has bound on {@link #server}, by service name. */
  private final Map<String, Bound> bound = new HashMap<>();

  /**
   * Binds everything to {@code next} from now on, and binds the winners to it now. The previous
   * server keeps what it has (it is shutting down; its calls finish with it).
   *
   * @param next the server, or null to stop binding
   */
  void attach(Server next) {
    synchronized (lock) {
      server = next;
      bound.clear();
      reconcile();
    }
  }

  /** Adds or updates (same id) a candidate service. */
  void putService(Candidate candidate) {
    Objects.requireNonNull(candidate.definition(), "definition");
    synchronized (lock) {
      candidates.put(candidate.id(), candidate);
      reconcile();
    }
  }

  /** Removes a candidate service, if known. */
  void removeService(long id) {
    synchronized (lock) {
      if (candidates.remove(id) != null) {
        reconcile();
      }
    }
  }

  /** Adds or updates (same id) an interceptor; the services are bound again with it. */
  void putInterceptor(Interceptor interceptor) {
    Objects.requireNonNull(interceptor.interceptor(), "interceptor");
    synchronized (lock) {
      Interceptor old = interceptors.put(interceptor.id(), interceptor);
      if (!interceptor.equals(old)) {
        rebuildChain();
        reconcile();
      }
    }
  }

  /** Removes an interceptor, if known; the services are bound again without it. */
  void removeInterceptor(long id) {
    synchronized (lock) {
      if (interceptors.remove(id) != null) {
        rebuildChain();
        reconcile();
      }
    }
  }

  /** {@return the service ids bound now, by service name; for tests and diagnostics} */
  Map<String, Long> boundIds() {
    synchronized (lock) {
      Map<String, Long> out = new HashMap<>();
      bound.forEach((name, b) -> out.put(name, b.from().id()));
      return out;
    }
  }

  private void rebuildChain() {
    List<Interceptor> sorted = new ArrayList<>(interceptors.values());
    sorted.sort(OUTERMOST_FIRST);
    List<ServerInterceptor> next = new ArrayList<>(sorted.size());
    for (Interceptor i : sorted) {
      next.add(i.interceptor());
    }
    chain = List.copyOf(next);
  }

  /** Makes the server hold exactly the winners, each with the current chain. */
  private void reconcile() {
    if (server == null) {
      return;
    }
    Map<String, Candidate> winners = new HashMap<>();
    for (Candidate c : candidates.values()) {
      winners.merge(
          c.definition().getServiceName(), c, (a, b) -> PREFERRED.compare(a, b) <= 0 ? a : b);
    }
    for (Map.Entry<String, Candidate> e : winners.entrySet()) {
      Bound b = bound.get(e.getKey());
      Candidate winner = e.getValue();
      if (b != null && b.from().equals(winner) && b.chain() == chain) {
        continue;
      }
      ServiceDefinition applied = intercepted(winner.definition(), chain);
      server.replaceService(applied);
      bound.put(e.getKey(), new Bound(winner, chain, applied));
    }
    for (Iterator<Map.Entry<String, Bound>> it = bound.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Bound> e = it.next();
      if (!winners.containsKey(e.getKey())) {
        server.removeService(e.getValue().applied());
        it.remove();
      }
    }
  }

  /**
   * {@code definition} with every method's handler wrapped in {@code chain} (and its schema
   * descriptor kept, for reflection), or itself.
   */
  static ServiceDefinition intercepted(
      ServiceDefinition definition, List<ServerInterceptor> chain) {
    if (chain.isEmpty()) {
      return definition;
    }
    ServiceDefinition.Builder b =
        ServiceDefinition.newBuilder(definition.getServiceName())
            .setSchemaDescriptor(definition.getSchemaDescriptor());
    for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
      addIntercepted(b, method, chain);
    }
    return b.build();
  }

  private static <ReqT, RespT> void addIntercepted(
      ServiceDefinition.Builder b,
      ServerMethodDefinition<ReqT, RespT> method,
      List<ServerInterceptor> chain) {
    ServerCallHandler<ReqT, RespT> handler = ServerInterceptor.intercept(method.handler(), chain);
    b.addMethod(method.method(), handler);
  }
}
