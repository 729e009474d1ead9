package dev.switchboard.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServerMethodDefinition;
import dev.switchboard.api.ServiceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServiceRegistryTest {
  private static ServiceDefinition service(String name, String... methods) {
    ServiceDefinition.Builder b = ServiceDefinition.newBuilder(name);
    for (String m : methods) {
      b.addMethod(
          MethodDescriptor.of(name + "/" + m, MethodType.UNARY, String.class, String.class),
          new RecordingHandler());
    }
    return b.build();
  }

  @Test
  void lookupSeesEachChangeAndKeepsUntouchedServicesAsTheyWere() {
    ServiceRegistry registry = new ServiceRegistry(List.of(service("a.A", "X")), List.of());
    ServerMethodDefinition<?, ?> ax = registry.lookup("a.A/X");
    ServiceDefinition b = service("b.B", "Y", "Z");
    registry.add(b);
    assertSame(ax, registry.lookup("a.A/X"), "binding b does not rewrap a's handlers");
    assertSame(b.getMethod("b.B/Z"), registry.lookup("b.B/Z"), "no interceptor: as given");
    assertEquals(3, registry.methods().size());

    assertSame(b, registry.remove("b.B"));
    assertNull(registry.lookup("b.B/Y"));
    assertNull(registry.lookup("b.B/Z"));
    assertSame(ax, registry.lookup("a.A/X"));
    assertEquals(1, registry.methods().size());
  }

  @Test
  void handlersAreWrappedInTheInterceptors() {
    ServerInterceptor passThrough =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCallListener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            return next.startCall(call, headers);
          }
        };
    ServiceRegistry registry = new ServiceRegistry(List.of(), List.of(passThrough));
    ServiceDefinition a = service("a.A", "X");
    registry.add(a);
    ServerMethodDefinition<?, ?> bound = registry.lookup("a.A/X");
    assertSame(a.getMethod("a.A/X").method(), bound.method());
    assertNotSame(a.getMethod("a.A/X").handler(), bound.handler());
  }

  @Test
  void duplicateNamesAtConstructionAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ServiceRegistry(List.of(service("a.A", "X"), service("a.A", "Y")), List.of()));
    assertEquals("service a.A is added twice", e.getMessage());
  }

  @Test
  void concurrentWritersLoseNoUpdate() throws Exception {
    int threads = 4;
    int rounds = 2_000;
    ServiceRegistry registry = new ServiceRegistry(List.of(), List.of());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String name = "s" + t + ".S";
        results.add(
            pool.submit(
                () -> {
                  // Each thread owns one name: whatever the others do, it must see its own writes.
                  List<String> errors = new ArrayList<>();
                  ServiceDefinition mine = service(name, "M");
                  for (int i = 0; i < rounds; i++) {
                    registry.add(mine);
                    if (registry.lookup(name + "/M") == null) {
                      errors.add("round " + i + ": added, not found");
                    }
                    if (!registry.services().contains(mine)) {
                      errors.add("round " + i + ": added, not listed");
                    }
                    if (i % 2 == 0 ? registry.remove(name) != mine : !registry.remove(mine)) {
                      errors.add("round " + i + ": not removed");
                    }
                    if (registry.lookup(name + "/M") != null) {
                      errors.add("round " + i + ": removed, still found");
                    }
                  }
                  registry.add(mine);
                  return errors;
                }));
      }
      List<String> errors = new ArrayList<>();
      for (Future<List<String>> f : results) {
        errors.addAll(f.get(60, TimeUnit.SECONDS));
      }
      assertEquals(List.of(), errors);
      assertEquals(threads, registry.services().size());
      assertEquals(threads, registry.methods().size());
    } finally {
      pool.shutdownNow();
    }
  }
}
