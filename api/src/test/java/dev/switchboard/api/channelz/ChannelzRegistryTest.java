package dev.switchboard.api.channelz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ConnectivityState;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ChannelzRegistryTest {
  private final ChannelzRegistry registry = new ChannelzRegistry();
  private final List<ChannelzRegistry.Registration> kept = new ArrayList<>();

  @Test
  void idsArePositiveUniqueAcrossKindsAndAscending() {
    long channel = add("a").id();
    long sub = registry.addSubchannel("s", () -> stats("s")).id();
    long server =
        registry.addServer("srv", () -> new ServerStats(CallStats.NONE, List.of(), List.of())).id();
    long socket =
        registry.addSocket("sock", () -> SocketStats.listening(new InetSocketAddress(1))).id();
    assertTrue(channel > 0);
    assertTrue(channel < sub && sub < server && server < socket);
    assertEquals("a", registry.nameOf(channel));
    assertEquals("sock", registry.nameOf(socket));
    assertEquals("s", registry.subchannel(sub).target());
    assertEquals(List.of(), registry.server(server).socketIds());
    assertEquals(
        1, registry.socket(socket).local() instanceof InetSocketAddress i ? i.getPort() : 0);
  }

  @Test
  void lookupsAreByKind() {
    long channel = add("a").id();
    assertEquals("a", registry.channel(channel).target());
    assertNull(registry.subchannel(channel));
    assertNull(registry.server(channel));
    assertNull(registry.socket(channel));
    assertNull(registry.channel(channel + 1000));
  }

  @Test
  void sourcesAreAskedOnEachRead() {
    int[] asked = {0};
    Supplier<ChannelStats> source =
        () -> {
          asked[0]++;
          return stats("t");
        };
    long id = registry.addTopChannel("t", source).id();
    assertEquals(0, asked[0]);
    registry.channel(id);
    registry.topChannels(0, 10);
    assertEquals(2, asked[0]);
  }

  @Test
  void closeRemovesAndIsIdempotent() {
    ChannelzRegistry.Registration r = add("a");
    r.close();
    r.close();
    assertNull(registry.channel(r.id()));
    assertNull(registry.nameOf(r.id()));
    assertTrue(registry.topChannels(0, 10).items().isEmpty());
  }

  @Test
  void pagesStartAtTheIdAndEndWhenNothingFollows() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(add("c" + i).id());
    }
    ChannelzRegistry.Page<ChannelStats> first = registry.topChannels(0, 2);
    assertEquals(ids.subList(0, 2), idsOf(first));
    assertFalse(first.end());
    ChannelzRegistry.Page<ChannelStats> second = registry.topChannels(ids.get(1) + 1, 2);
    assertEquals(ids.subList(2, 4), idsOf(second));
    assertFalse(second.end());
    ChannelzRegistry.Page<ChannelStats> last = registry.topChannels(ids.get(3) + 1, 2);
    assertEquals(ids.subList(4, 5), idsOf(last));
    assertTrue(last.end());
    // Exactly as many as asked, and nothing after: end.
    assertTrue(registry.topChannels(ids.get(3), 2).end());
    assertEquals("c2", registry.topChannels(ids.get(2), 1).items().get(0).name());
    assertTrue(registry.topChannels(ids.get(4) + 1, 2).items().isEmpty());
  }

  @Test
  void pagesHoldAtMostMaxPage() {
    for (int i = 0; i < ChannelzRegistry.MAX_PAGE + 5; i++) {
      add("c" + i);
    }
    ChannelzRegistry.Page<ChannelStats> huge = registry.topChannels(0, Integer.MAX_VALUE);
    assertEquals(ChannelzRegistry.MAX_PAGE, huge.items().size());
    assertFalse(huge.end());
    ChannelzRegistry.Page<ChannelStats> unspecified = registry.topChannels(0, 0);
    assertEquals(ChannelzRegistry.MAX_PAGE, unspecified.items().size());
    long next = huge.items().get(ChannelzRegistry.MAX_PAGE - 1).id() + 1;
    ChannelzRegistry.Page<ChannelStats> rest = registry.topChannels(next, 0);
    assertEquals(5, rest.items().size());
    assertTrue(rest.end());
  }

  @Test
  void serversAreListedApartFromChannels() {
    add("a");
    ServerStats stats = new ServerStats(CallStats.NONE, List.of(7L), List.of());
    ChannelzRegistry.Registration r = registry.addServer("srv", () -> stats);
    ChannelzRegistry.Page<ServerStats> page = registry.servers(0, 0);
    assertEquals(1, page.items().size());
    assertSame(stats, page.items().get(0).stats());
    assertEquals(r.id(), page.items().get(0).id());
  }

  @Test
  void anOwnerDroppedWithoutClosingLeavesWhenCollected() {
    long id = addForgotten();
    // The registry does not keep it alive: once collected, it is gone from lookups and listings.
    for (int i = 0; i < 100 && registry.channel(id) != null; i++) {
      System.gc();
    }
    assertNull(registry.channel(id));
    assertTrue(registry.topChannels(0, 0).items().isEmpty());
  }

  /** Registers a channel whose registration nobody keeps. */
  private long addForgotten() {
    // A capturing lambda: a new object, not a constant that its class keeps alive.
    String target = new StringBuilder("forgotten").toString();
    return registry.addTopChannel(target, () -> stats(target)).id();
  }

  private ChannelzRegistry.Registration add(String target) {
    ChannelzRegistry.Registration r = registry.addTopChannel(target, () -> stats(target));
    kept.add(r); // the owner's strong reference
    return r;
  }

  private static ChannelStats stats(String target) {
    return new ChannelStats(target, ConnectivityState.IDLE, CallStats.NONE, List.of(), List.of());
  }

  private static List<Long> idsOf(ChannelzRegistry.Page<?> page) {
    return page.items().stream().map(ChannelzRegistry.Listed::id).toList();
  }
}
