package dev.switchboard.examples;

import dev.switchboard.api.ClientConn;
import dev.switchboard.api.DialOptions;
import dev.switchboard.api.Server;
import dev.switchboard.api.stub.StreamObserver;
import dev.switchboard.clientconn.ClientConns;
import dev.switchboard.examples.helloworld.GreeterSwitchboard;
import dev.switchboard.examples.helloworld.GreeterSwitchboard.GreeterBlockingStub;
import dev.switchboard.examples.helloworld.GreeterSwitchboard.GreeterStub;
import dev.switchboard.examples.helloworld.HelloReply;
import dev.switchboard.examples.helloworld.HelloRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A tour of Switchboard over loopback: starts a Greeter server, makes one call of each kind
 * (blocking unary, server streaming, client streaming, bidi) over a {@code pick_first} channel,
 * then spreads calls over three servers with {@code round_robin} and counts them per backend. Calls
 * go through the stubs generated from {@code helloworld.proto} ({@code GreeterSwitchboard}): the
 * blocking stub for unary and server streaming, the async stub for the client-streaming and bidi
 * calls.
 *
 * <p>Prints what happens; exits 0 when every step behaved as expected, 1 otherwise. Every call has
 * a deadline, so a broken step fails instead of hanging. Runs on the class path and on the module
 * path ({@code java -p <jars> -m dev.switchboard.examples/dev.switchboard.examples
 * .HelloWorldDemo}); itests' {@code ModulePathIT} runs it both ways.
 *
 * @since 0.1
 */
public final class HelloWorldDemo {
  private static final String HOST = "127.0.0.1";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int BACKENDS = 3;
  private static final int ROUND_ROBIN_CALLS = 30;
  private static final String ROUND_ROBIN_CONFIG =
      "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";

  /** Servers and channels to close at the end, whatever happened. */
  private final List<Server> servers = new ArrayList<>();

  private final List<ClientConn> channels = new ArrayList<>();

  private HelloWorldDemo() {}

  /**
   * Runs the demo; exits 0 on success, 1 on any failure.
   *
   * @since 0.1
   */
  public static void main(String[] args) {
    HelloWorldDemo demo = new HelloWorldDemo();
    int exitCode = 0;
    try {
      demo.fourKindsOfCall();
      demo.roundRobin();
    } catch (Throwable t) {
      exitCode = 1;
      System.out.println();
      System.out.println("FAILED: " + t);
      t.printStackTrace(System.out);
    }
    if (!demo.shutDown()) {
      exitCode = 1;
    }
    System.out.println();
    System.out.println(exitCode == 0 ? "Demo finished: all steps passed." : "Demo FAILED.");
    System.out.flush();
    System.exit(exitCode);
  }

  /** A blocking stub whose calls have a deadline {@link #TIMEOUT} from now: one per call. */
  private static GreeterBlockingStub blocking(ClientConn channel) {
    return GreeterSwitchboard.newBlockingStub(channel)
        .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** An async stub whose calls have a deadline {@link #TIMEOUT} from now: one per call. */
  private static GreeterStub async(ClientConn channel) {
    return GreeterSwitchboard.newStub(channel)
        .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static HelloRequest named(String name) {
    return HelloRequest.newBuilder().setName(name).build();
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("unexpected: " + what);
    }
  }

  private Server startServer(String backend) throws Exception {
    Server server = GreeterServer.start(HOST, 0, backend);
    servers.add(server);
    return server;
  }

  private ClientConn track(ClientConn channel) {
    channels.add(channel);
    return channel;
  }

  private void fourKindsOfCall() throws Exception {
    System.out.println("== Part 1: one call of each kind (pick_first) ==");
    Server server = startServer("greeter");
    System.out.println("Greeter server listening on " + HOST + ":" + server.port());
    ClientConn channel =
        track(
            ClientConns.newClient(
                HOST + ":" + server.port(), DialOptions.newBuilder().insecure().build()));
    System.out.println("Channel to " + channel.target() + ", state " + channel.getState(false));

    // Unary, blocking.
    HelloReply reply = blocking(channel).sayHello(named("world"));
    System.out.printf(
        "[unary]            SayHello(world) -> \"%s\" (from %s)%n",
        reply.getMessage(), reply.getBackend());
    check(reply.getMessage().equals("Hello, world!"), "unary reply " + reply);
    System.out.println("                   channel state now " + channel.getState(false));

    // Server streaming, blocking iterator.
    HelloRequest streamRequest = HelloRequest.newBuilder().setName("stream").setCount(3).build();
    Iterator<HelloReply> replies = blocking(channel).sayHelloStream(streamRequest);
    System.out.println("[server streaming] SayHelloStream(stream, count=3):");
    int received = 0;
    while (replies.hasNext()) {
      HelloReply next = replies.next();
      received++;
      System.out.println("                     <- \"" + next.getMessage() + "\"");
    }
    System.out.println("                   completed after " + received + " replies");
    check(received == 3, received + " server-streaming replies instead of 3");

    // Client streaming, async.
    ResponseQueue<HelloReply> single = new ResponseQueue<>(TIMEOUT);
    StreamObserver<HelloRequest> names = async(channel).sayHelloToAll(single);
    System.out.println("[client streaming] SayHelloToAll:");
    for (String name : List.of("Ada", "Grace", "Linus")) {
      System.out.println("                     -> " + name);
      names.onNext(named(name));
    }
    names.onCompleted();
    HelloReply summary = single.next();
    single.awaitCompleted();
    System.out.println("                     <- \"" + summary.getMessage() + "\"");
    check(summary.getMessage().contains("3 names"), "client-streaming reply " + summary);

    // Bidi streaming, async, one reply awaited per message sent.
    ResponseQueue<HelloReply> chatReplies = new ResponseQueue<>(TIMEOUT);
    StreamObserver<HelloRequest> chat = async(channel).chat(chatReplies);
    System.out.println("[bidi streaming]   Chat:");
    List<String> guests = List.of("Barbara", "Dennis", "Ken");
    for (String guest : guests) {
      chat.onNext(named(guest));
      HelloReply answer = chatReplies.next();
      System.out.printf("                     -> %-8s <- \"%s\"%n", guest, answer.getMessage());
      check(answer.getMessage().startsWith("Hi " + guest), "chat reply " + answer);
    }
    chat.onCompleted();
    chatReplies.awaitCompleted();
    System.out.println("                   both sides completed");
  }

  private void roundRobin() throws Exception {
    System.out.println();
    System.out.println("== Part 2: round_robin over " + BACKENDS + " servers ==");
    List<SocketAddress> addresses = new ArrayList<>();
    for (int i = 1; i <= BACKENDS; i++) {
      Server server = startServer("backend-" + i);
      addresses.add(new InetSocketAddress(HOST, server.port()));
      System.out.println("backend-" + i + " listening on " + HOST + ":" + server.port());
    }
    ClientConn channel =
        track(
            ClientConns.newClient(
                addresses,
                DialOptions.newBuilder()
                    .insecure()
                    .defaultServiceConfig(ROUND_ROBIN_CONFIG)
                    .build()));
    System.out.println("Channel " + channel.target() + " with " + ROUND_ROBIN_CONFIG);

    // round_robin serves from the backends that are READY; the first calls may come before all
    // three connections are up. Warm up until every backend has answered once.
    Map<String, Integer> seen = new TreeMap<>();
    int warmUp = 0;
    long warmUpEnd = System.nanoTime() + TIMEOUT.toNanos();
    while (seen.size() < BACKENDS) {
      check(System.nanoTime() < warmUpEnd, "only " + seen.keySet() + " answered within " + TIMEOUT);
      seen.merge(callOnce(channel, "warm-up"), 1, Integer::sum);
      warmUp++;
    }
    System.out.println(
        "Warm-up: " + warmUp + " calls until all " + BACKENDS + " backends answered");

    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 1; i <= ROUND_ROBIN_CALLS; i++) {
      counts.merge(callOnce(channel, "call-" + i), 1, Integer::sum);
    }
    System.out.println(ROUND_ROBIN_CALLS + " calls, per backend:");
    counts.forEach(
        (backend, count) ->
            System.out.printf("  %-10s %3d  %s%n", backend, count, "#".repeat(count)));
    check(counts.size() == BACKENDS, "calls reached " + counts.keySet() + " only");
    boolean even =
        counts.values().stream().allMatch(count -> count == ROUND_ROBIN_CALLS / BACKENDS);
    System.out.println(
        even
            ? "Evenly spread: " + ROUND_ROBIN_CALLS / BACKENDS + " calls each."
            : "Spread unevenly (a connection changed state during the run).");
  }

  private static String callOnce(ClientConn channel, String name) {
    return blocking(channel).sayHello(named(name)).getBackend();
  }

  /** Closes channels, then servers; true when everything terminated in time. */
  private boolean shutDown() {
    boolean clean = true;
    System.out.println();
    try {
      for (ClientConn channel : channels) {
        channel.close();
      }
      for (ClientConn channel : channels) {
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
          System.out.println("Channel " + channel.target() + " did not terminate in 5 s");
          clean = false;
        }
      }
      for (Server server : servers) {
        server.shutdown();
      }
      for (Server server : servers) {
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
          System.out.println("Server on port " + server.port() + " did not terminate in 5 s");
          server.shutdownNow();
          clean = false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    } catch (RuntimeException e) {
      System.out.println("Shutdown failed: " + e);
      clean = false;
    }
    System.out.println(
        "Shut down "
            + channels.size()
            + " channels and "
            + servers.size()
            + " servers"
            + (clean ? "." : ", not cleanly."));
    return clean;
  }
}
