package dev.switchboard.itests;

import static dev.switchboard.itests.EchoService.str;
import static dev.switchboard.itests.FelixOptions.jar;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.ClientConn;
import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.api.UnixAbstractAddress;
import dev.switchboard.clientconn.ClientConns;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Netty's epoll transport inside Felix: with its bundles deployed (the classes, and the native
 * library as a fragment of them), transport-netty's optional import of {@code
 * io.netty.channel.epoll} is wired and its sockets are by epoll; a server listens on Linux's
 * abstract namespace and on TCP, and channels reach it over both. The other Felix tests deploy no
 * epoll, so there transport-netty resolves without it and uses NIO.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class FelixEpollIT {
  @Configuration
  public Option[] config() {
    return FelixOptions.switchboard(
        jar("netty-transport-classes-epoll"),
        // A fragment (the native library) is installed, never started.
        bundle(FelixOptions.jarFile("netty-transport-native-epoll-linux-x86_64").toURI().toString())
            .noStart());
  }

  @Test
  public void abstractSocketAndTcpOverEpoll() throws Exception {
    UnixAbstractAddress name = UnixAbstractAddress.of("switchboard-felix-" + UUID.randomUUID());
    Server server =
        Loopback.start(
            new EchoService("felix-epoll"), ServerOptions.newBuilder().insecure().listen(name));
    try {
      assertEquals(name, server.listenAddresses().get(0));
      for (String target : List.of(name.toString(), Loopback.target(server))) {
        try (ClientConn conn = ClientConns.newClient(target, Loopback.insecure().build())) {
          String id =
              Loopback.unary(
                      conn,
                      EchoService.UNARY,
                      str("id"),
                      CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS))
                  .getValue();
          assertEquals(target, "felix-epoll", id);
          String wiring = conn.describeWiring().toString();
          assertTrue(wiring, wiring.contains("sockets by epoll (native transport found)"));
        }
      }
    } finally {
      server.shutdownNow();
      assertTrue(server.awaitTermination(10, TimeUnit.SECONDS));
    }
  }
}
