package dev.switchboard.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.testing.CapturedLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Binding and unbinding services on a running server (fake transport, fake time). */
class ServerServicesTest {
  private static final MethodDescriptor<String, String> GREET =
      MethodDescriptor.of("test.Greeter/Greet", MethodType.UNARY, String.class, String.class);
  private static final MethodDescriptor<String, String> LATER =
      MethodDescriptor.of("test.Later/Call", MethodType.UNARY, String.class, String.class);

  private final ServerFixture f = new ServerFixture();
  private final RecordingHandler greet = new RecordingHandler();
  private final ServiceDefinition greeter =
      ServiceDefinition.newBuilder("test.Greeter").addMethod(GREET, greet).build();

  @Test
  void serviceAddedToARunningServerServesTheNextCall() {
    f.start();
    FakeServerStream before = f.startCall(GREET);
    assertEquals("unknown service test.Greeter", before.closeStatus.getDescription());

    assertSame(f.server, f.server.addService(greeter));
    FakeServerStream after = f.startCall(GREET);
    assertNull(after.closeStatus);
    assertEquals(1, greet.calls.size());
    assertEquals(
        List.of("test.Echo", "test.Greeter"),
        f.server.services().stream().map(ServiceDefinition::getServiceName).toList());
  }

  @Test
  void removedServiceFinishesItsCallsAndRefusesNewOnes() {
    f.start(f.options().addService(greeter));
    FakeServerStream inFlight = f.startCall(GREET);

    assertSame(greeter, f.server.removeService("test.Greeter"));
    FakeServerStream refused = f.startCall(GREET);
    assertEquals(Status.Code.UNIMPLEMENTED, refused.closeStatus.getCode());
    assertEquals("unknown service test.Greeter", refused.closeStatus.getDescription());
    assertEquals(1, greet.calls.size(), "the refused call never reached the handler");

    inFlight.clientSends("hi");
    inFlight.clientHalfCloses();
    f.clock.runPendingTasks();
    ServerCall<String, String> call = greet.call(0);
    call.sendMessage("hello");
    call.close(Status.OK, new Metadata());
    f.clock.runPendingTasks();
    assertEquals(Status.OK, inFlight.closeStatus);
    assertEquals(List.of("proto:hello"), inFlight.messagesWritten);
    assertEquals(List.of("message:proto:hi", "halfClose", "complete"), greet.listener(0).events);

    assertNull(f.server.removeService("test.Greeter"), "removing twice is a no-op");
    f.server.addService(greeter);
    assertNull(f.startCall(GREET).closeStatus, "re-added: served again");
    assertEquals(2, greet.calls.size());
  }

  @Test
  void addingABoundNameFailsAndReplaceSwapsTheHandler() {
    f.start(f.options().addService(greeter));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> f.server.addService(greeter));
    assertEquals(
        "service test.Greeter is already bound; remove it first or replace it", e.getMessage());

    RecordingHandler second = new RecordingHandler();
    ServiceDefinition replacement =
        ServiceDefinition.newBuilder("test.Greeter").addMethod(GREET, second).build();
    FakeServerStream old = f.startCall(GREET);
    assertSame(greeter, f.server.replaceService(replacement));
    f.startCall(GREET);
    assertEquals(1, greet.calls.size());
    assertEquals(1, second.calls.size());
    assertEquals(
        List.of("test.Echo", "test.Greeter"),
        f.server.services().stream().map(ServiceDefinition::getServiceName).toList(),
        "a replacement keeps its place");

    greet.call(0).sendMessage("still here");
    greet.call(0).close(Status.OK, new Metadata());
    assertEquals(Status.OK, old.closeStatus, "the call on the replaced service still ends well");
    assertNull(f.server.replaceService(ServiceDefinition.newBuilder("test.Other").build()));
  }

  @Test
  void removingByInstanceLeavesAReplacementBound() {
    f.start(f.options().addService(greeter));
    ServiceDefinition replacement =
        ServiceDefinition.newBuilder("test.Greeter")
            .addMethod(GREET, new RecordingHandler())
            .build();
    f.server.replaceService(replacement);

    assertFalse(f.server.removeService(greeter), "greeter is no longer the bound instance");
    assertTrue(f.server.services().contains(replacement));
    assertTrue(f.server.removeService(replacement));
    assertFalse(f.server.removeService(replacement));
    assertEquals(1, f.server.services().size());
  }

  @Test
  void unknownMethodOfABoundServiceIsNamedAsSuch() {
    f.start(f.options().addService(greeter));
    FakeServerStream stream = f.connection.newStream("test.Greeter/Missing");
    assertEquals(
        "unknown method Missing for service test.Greeter", stream.closeStatus.getDescription());
    assertEquals(
        "malformed method name: nonsense",
        f.connection.newStream("nonsense").closeStatus.getDescription());
  }

  @Test
  void serverInterceptorsApplyToServicesAddedLater() {
    List<String> seen = new CopyOnWriteArrayList<>();
    ServerInterceptor recording =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCallListener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            seen.add(call.getMethodDescriptor().getFullMethodName());
            return next.startCall(call, headers);
          }
        };
    f.start(f.options().intercept(recording));
    f.server.addService(greeter);
    f.startCall(GREET);
    f.server.replaceService(
        ServiceDefinition.newBuilder("test.Greeter")
            .addMethod(GREET, new RecordingHandler())
            .build());
    f.startCall(GREET);
    assertEquals(List.of("test.Greeter/Greet", "test.Greeter/Greet"), seen);
    assertEquals(1, greet.calls.size());
  }

  @Test
  void serviceAddedAfterStartIsCheckedForCodecsLikeAtStart() throws Exception {
    try (CapturedLog log = new CapturedLog(ServerImpl.class.getName())) {
      ServerImpl server =
          new ServerImpl(
              f.baseOptions().codecRegistry(new CodecRegistry()).build(),
              f.clock.scheduledExecutor());
      server.addService(greeter); // before start: start checks it
      server.start();
      server.addService(
          ServiceDefinition.newBuilder("test.Later")
              .addMethod(LATER, new RecordingHandler())
              .build());
      assertEquals(
          List.of(
              "server on [0.0.0.0/0.0.0.0:0]: no codec 'proto' deployed (deployed: []); calls to 1"
                  + " method(s) fail INTERNAL until one is: test.Greeter/Greet. To deploy it:"
                  + " register a CodecProvider for 'proto' in the CodecRegistry in use",
              "server on [0.0.0.0/0.0.0.0:0]: no codec 'proto' deployed (deployed: []); calls to 1"
                  + " method(s) fail INTERNAL until one is: test.Later/Call. To deploy it:"
                  + " register a CodecProvider for 'proto' in the CodecRegistry in use"),
          log.messages(System.Logger.Level.WARNING));
      server.shutdownNow();
    }
  }

  @Test
  void servicesCanBeBoundBeforeStartAndAfterShutdown() {
    ServerImpl server = new ServerImpl(f.baseOptions().build(), f.clock.scheduledExecutor());
    server.addService(greeter);
    assertEquals(List.of(greeter), server.services());
    server.shutdown();
    assertSame(greeter, server.removeService("test.Greeter"));
    assertEquals(List.of(), server.services());
    server.addService(greeter);
    assertEquals(List.of(greeter), server.services());
  }

  @Test
  void nullArgumentsAreRejected() {
    f.start();
    assertThrows(NullPointerException.class, () -> f.server.addService(null));
    assertThrows(NullPointerException.class, () -> f.server.replaceService(null));
    assertThrows(NullPointerException.class, () -> f.server.removeService((String) null));
    assertThrows(
        NullPointerException.class, () -> f.server.removeService((ServiceDefinition) null));
  }
}
