package dev.switchboard.osgi.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.server.Servers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The binding rules, on a real (unstarted) server: winners, fallbacks, interceptor order. */
class ServiceBinderTest {
  private static final String GREETER = "test.Greeter";
  private static final MethodDescriptor<String, String> HELLO =
      MethodDescriptor.of(GREETER + "/Hello", MethodType.UNARY, String.class, String.class);

  private final List<String> trail = new ArrayList<>();
  private final List<Server> servers = new ArrayList<>();
  private final ServiceBinder binder = new ServiceBinder();

  @AfterEach
  void shutdown() {
    servers.forEach(Server::shutdownNow);
  }

  private Server newServer() {
    Server s = Servers.newServer(ServerOptions.newBuilder().port(0).insecure().build());
    servers.add(s);
    return s;
  }

  /** A Greeter whose handler records {@code name} and ends there. */
  private ServiceDefinition greeter(String name) {
    ServerCallHandler<String, String> handler =
        (call, headers) -> {
          trail.add(name);
          return null;
        };
    return ServiceDefinition.newBuilder(GREETER).addMethod(HELLO, handler).build();
  }

  private ServerInterceptor recording(String name) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> dev.switchboard.api.ServerCallListener<ReqT> interceptCall(
          dev.switchboard.api.ServerCall<ReqT, RespT> call,
          Metadata headers,
          ServerCallHandler<ReqT, RespT> next) {
        trail.add(name);
        return next.startCall(call, headers);
      }
    };
  }

  /** Starts a call on what the server has bound for Greeter/Hello; returns the trail. */
  @SuppressWarnings("unchecked")
  private List<String> call(Server server) {
    trail.clear();
    ServiceDefinition bound =
        server.services().stream()
            .filter(d -> d.getServiceName().equals(GREETER))
            .findFirst()
            .orElseThrow();
    ((ServerCallHandler<String, String>) bound.getMethod(HELLO.getFullMethodName()).handler())
        .startCall(null, new Metadata());
    return List.copyOf(trail);
  }

  @Test
  void higherRankingWinsAndTheNextTakesOverWhenItLeaves() {
    Server server = newServer();
    binder.attach(server);
    binder.putService(new ServiceBinder.Candidate(10, 0, greeter("low")));
    assertEquals(List.of("low"), call(server));
    binder.putService(new ServiceBinder.Candidate(11, 5, greeter("high")));
    assertEquals(List.of("high"), call(server));
    assertEquals(Map.of(GREETER, 11L), binder.boundIds());
    binder.removeService(11);
    assertEquals(List.of("low"), call(server));
    binder.removeService(10);
    assertTrue(server.services().isEmpty());
    assertTrue(binder.boundIds().isEmpty());
  }

  @Test
  void equalRankingsPreferTheLowerServiceId() {
    Server server = newServer();
    binder.attach(server);
    binder.putService(new ServiceBinder.Candidate(20, 0, greeter("second")));
    binder.putService(new ServiceBinder.Candidate(7, 0, greeter("first")));
    assertEquals(List.of("first"), call(server));
    // A ranking change (a modified service) moves the winner.
    binder.putService(new ServiceBinder.Candidate(20, 1, greeter("second")));
    assertEquals(List.of("second"), call(server));
  }

  @Test
  void interceptorsWrapEveryServiceHighestRankingFirstAndFollowChanges() {
    Server server = newServer();
    binder.attach(server);
    ServiceDefinition plain = greeter("handler");
    binder.putService(new ServiceBinder.Candidate(1, 0, plain));
    assertSame(plain, server.services().get(0), "no interceptor: bound as registered");
    binder.putInterceptor(new ServiceBinder.Interceptor(30, 0, recording("zero")));
    binder.putInterceptor(new ServiceBinder.Interceptor(31, 100, recording("hundred")));
    binder.putInterceptor(new ServiceBinder.Interceptor(32, -1, recording("minus")));
    assertEquals(List.of("hundred", "zero", "minus", "handler"), call(server));
    ServiceDefinition before = server.services().get(0);
    binder.removeInterceptor(31);
    assertNotSame(before, server.services().get(0), "re-bound with replaceService");
    assertEquals(List.of("zero", "minus", "handler"), call(server));
    binder.removeInterceptor(30);
    binder.removeInterceptor(32);
    assertSame(plain, server.services().get(0));
  }

  @Test
  void interceptedServicesKeepTheirSchemaDescriptor() {
    Server server = newServer();
    binder.attach(server);
    Object schema = new Object();
    ServiceDefinition described =
        ServiceDefinition.newBuilder(GREETER)
            .addMethod(HELLO, (ServerCallHandler<String, String>) (call, headers) -> null)
            .setSchemaDescriptor(schema)
            .build();
    binder.putService(new ServiceBinder.Candidate(1, 0, described));
    binder.putInterceptor(new ServiceBinder.Interceptor(30, 0, recording("zero")));
    assertNotSame(described, server.services().get(0), "wrapped");
    assertSame(schema, server.services().get(0).getSchemaDescriptor(), "for reflection");
  }

  @Test
  void attachingANewServerBindsTheWinnersThereAndLeavesTheOldOneAlone() {
    Server first = newServer();
    binder.attach(first);
    binder.putService(new ServiceBinder.Candidate(1, 0, greeter("g")));
    Server second = newServer();
    binder.attach(second);
    assertEquals(List.of("g"), call(second));
    binder.removeService(1);
    assertTrue(second.services().isEmpty());
    assertEquals(1, first.services().size(), "the old server keeps its services for its calls");
  }

  @Test
  void withoutAServerCandidatesWaitForOne() {
    binder.putService(new ServiceBinder.Candidate(1, 0, greeter("g")));
    assertTrue(binder.boundIds().isEmpty());
    Server server = newServer();
    binder.attach(server);
    assertEquals(List.of("g"), call(server));
    binder.attach(null);
    binder.removeService(1);
    assertEquals(1, server.services().size(), "detached: left alone");
  }
}
