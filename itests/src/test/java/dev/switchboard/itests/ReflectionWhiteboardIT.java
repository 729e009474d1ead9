package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import dev.switchboard.api.BindableService;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.stub.ClientCalls;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.examples.helloworld.GreeterSwitchboard;
import dev.switchboard.osgi.server.WhiteboardConstants;
import dev.switchboard.reflection.v1.ServerReflectionRequest;
import dev.switchboard.reflection.v1.ServerReflectionResponse;
import dev.switchboard.reflection.v1.ServerReflectionSwitchboard;
import dev.switchboard.reflection.v1.ServiceResponse;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The reflection bundle in the framework: with a {@code dev.switchboard.reflection} configuration,
 * its component binds reflection to a server started from configuration, which then lists the
 * whiteboard services as they are registered and unregistered, and describes a generated service
 * behind a whiteboard interceptor by its proto file; deleting the configuration takes reflection
 * off the server again.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class ReflectionWhiteboardIT {
  private static final String REFLECTION = ServerReflectionSwitchboard.SERVICE_NAME;

  @Inject private BundleContext ctx;

  private org.osgi.service.cm.Configuration serverConfig;
  private Server server;
  private ClientConn conn;

  @Configuration
  public Option[] config() {
    return ConfiguredServers.options(FelixOptions.jar("reflection"));
  }

  @Before
  public void startServer() throws Exception {
    serverConfig =
        ConfiguredServers.create(ctx, "reflection-it", Map.of("host", "127.0.0.1", "port", 0));
    ServiceReference<Server> ref = ConfiguredServers.awaitServer(ctx, serverConfig.getPid(), "");
    server = ctx.getService(ref);
    conn =
        ClientConns.newClient(
            "127.0.0.1:" + ConfiguredServers.port(ref), Loopback.insecure().build());
  }

  @After
  public void deleteServer() throws Exception {
    if (conn != null) {
      conn.close();
    }
    serverConfig.delete();
    assertTrue("the server shut down", ConfiguredServers.terminated(server));
  }

  @Test
  public void reflectionFollowsTheWhiteboard() throws Exception {
    assertEquals("no reflection without its configuration", null, listServices());

    org.osgi.service.cm.Configuration reflectionConfig =
        ConfiguredServers.configAdmin(ctx).getConfiguration("dev.switchboard.reflection", "?");
    reflectionConfig.update(ConfiguredServers.dictionary(Map.of()));
    awaitServices(names -> names != null && names.contains(REFLECTION), "reflection bound");

    ServiceRegistration<BindableService> echo =
        ConfiguredServers.register(ctx, new EchoService("v0")::definition);
    awaitServices(names -> names.contains(EchoService.SERVICE), "the whiteboard service listed");
    echo.unregister();
    awaitServices(names -> !names.contains(EchoService.SERVICE), "the service no longer listed");

    // A generated service behind a whiteboard interceptor: described by its proto file.
    Hashtable<String, Object> marker = new Hashtable<>();
    marker.put(WhiteboardConstants.WHITEBOARD_PROPERTY, "true");
    ServiceRegistration<ServerInterceptor> interceptor =
        ctx.registerService(ServerInterceptor.class, new PassThrough(), marker);
    ServiceRegistration<BindableService> greeter =
        ConfiguredServers.register(ctx, new GreeterSwitchboard.GreeterImplBase() {});
    try {
      awaitServices(names -> names.contains(GreeterSwitchboard.SERVICE_NAME), "greeter listed");
      ServerReflectionResponse file =
          ask(
              ServerReflectionRequest.newBuilder()
                  .setFileContainingSymbol(GreeterSwitchboard.SERVICE_NAME)
                  .build());
      assertEquals(
          "helloworld.proto",
          FileDescriptorProto.parseFrom(file.getFileDescriptorResponse().getFileDescriptorProto(0))
              .getName());
    } finally {
      greeter.unregister();
      interceptor.unregister();
    }

    reflectionConfig.delete();
    awaitServices(names -> names == null, "reflection unbound with its configuration");
  }

  private void awaitServices(Predicate<List<String>> condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(InFramework.TIMEOUT_MS);
    List<String> names = listServices();
    while (!condition.test(names)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + InFramework.TIMEOUT_MS + " ms: " + names);
      }
      names = listServices(); // each poll is a call over the socket
    }
  }

  /** Lets every call through. */
  private static final class PassThrough implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      return next.startCall(call, headers);
    }
  }

  /** The services reflection lists, or null when the server has no reflection service. */
  private List<String> listServices() throws Exception {
    try {
      return ask(ServerReflectionRequest.newBuilder().setListServices("").build())
          .getListServicesResponse()
          .getServiceList()
          .stream()
          .map(ServiceResponse::getName)
          .toList();
    } catch (ExecutionException e) {
      if (Status.fromThrowable(e.getCause()).getCode() == Status.Code.UNIMPLEMENTED) {
        return null;
      }
      throw e;
    }
  }

  /** One request on a new reflection stream; its response. */
  private ServerReflectionResponse ask(ServerReflectionRequest request) throws Exception {
    CompletableFuture<ServerReflectionResponse> first = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ClientCalls.asyncBidiStreamingCall(
            conn.newStream(
                ServerReflectionSwitchboard.METHOD_SERVER_REFLECTION_INFO,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)),
            new StreamObserver<>() {
              @Override
              public void onNext(ServerReflectionResponse value) {
                first.complete(value);
              }

              @Override
              public void onError(Throwable t) {
                first.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                first.completeExceptionally(new AssertionError("no response"));
              }
            });
    requests.onNext(request);
    requests.onCompleted();
    return first.get(20, TimeUnit.SECONDS);
  }
}
