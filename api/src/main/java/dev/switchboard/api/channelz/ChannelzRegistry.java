package dev.switchboard.api.channelz;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The live channels, subchannels, servers and sockets, by id, for channelz (gRFC A14).
 *
 * <p><b>Writers</b> are the Switchboard core and transports: each registers an object when it comes
 * to life and {@linkplain Registration#close() closes} the registration when it shuts down or
 * closes. Ids are positive, unique across kinds and increase with registration order. The registry
 * holds what it lists <i>weakly</i>: the owner keeps its {@link Registration} (which holds the
 * source strongly), so an owner dropped without a shutdown leaves the registry when it is garbage
 * collected instead of leaking.
 *
 * <p><b>Readers</b> (the channelz service, consoles) list pages in id order and look ids up; a
 * source is asked for its stats when read, never in advance. Pages hold at most {@link #MAX_PAGE}
 * entries, however many were asked for.
 *
 * <p>Thread-safe, lock-free: concurrent skip-list maps; registering and closing happen once per
 * channel, subchannel, server or connection, never per call.
 *
 * @since 0.3
 */
public final class ChannelzRegistry {
  /** The most entries a page holds. */
  public static final int MAX_PAGE = 100;

  private static final ChannelzRegistry DEFAULT = new ChannelzRegistry();

  private final AtomicLong nextId = new AtomicLong(1);
  private final ConcurrentSkipListMap<Long, Entry> topChannels = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<Long, Entry> subchannels = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<Long, Entry> servers = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<Long, Entry> sockets = new ConcurrentSkipListMap<>();
  private final ReferenceQueue<Object> cleared = new ReferenceQueue<>();

  /** An empty registry; tests make their own, everything else uses {@link #getDefault()}. */
  public ChannelzRegistry() {}

  /** {@return the registry the Switchboard core and the channelz service use} */
  public static ChannelzRegistry getDefault() {
    return DEFAULT;
  }

  /**
   * Registers a channel made by the application.
   *
   * @param target the channel's target, its name in listings
   * @param source its stats, asked for on each read; held weakly, strongly by the registration
   * @return the registration to keep while the channel lives, and to close when it shuts down
   */
  public Registration addTopChannel(String target, Supplier<ChannelStats> source) {
    return add(topChannels, target, source);
  }

  /**
   * Registers a channel's subchannel.
   *
   * @param name its addresses, its name in references
   * @param source its stats; held as by {@link #addTopChannel}
   * @return the registration, to close when the subchannel has shut down
   */
  public Registration addSubchannel(String name, Supplier<ChannelStats> source) {
    return add(subchannels, name, source);
  }

  /**
   * Registers a server.
   *
   * @param name a name for listings (its addresses)
   * @param source its stats; held as by {@link #addTopChannel}
   * @return the registration, to close when the server has shut down
   */
  public Registration addServer(String name, Supplier<ServerStats> source) {
    return add(servers, name, source);
  }

  /**
   * Registers a socket: a connection or a listen socket.
   *
   * @param name its name in references ({@code "local -> remote"}, or the listen address)
   * @param source its stats; held as by {@link #addTopChannel}
   * @return the registration, to close when the socket has closed
   */
  public Registration addSocket(String name, Supplier<SocketStats> source) {
    return add(sockets, name, source);
  }

  /**
   * {@return the top channels with ids from {@code startId} on, at most {@code maxResults} (at most
   * {@link #MAX_PAGE}; 0 or less means {@link #MAX_PAGE})}
   *
   * @param startId the first id to list
   * @param maxResults how many to list at most
   */
  public Page<ChannelStats> topChannels(long startId, int maxResults) {
    return page(topChannels, startId, maxResults);
  }

  /**
   * {@return the servers with ids from {@code startId} on; as {@link #topChannels}}
   *
   * @param startId the first id to list
   * @param maxResults how many to list at most
   */
  public Page<ServerStats> servers(long startId, int maxResults) {
    return page(servers, startId, maxResults);
  }

  /**
   * {@return a top channel's stats, or null when no such channel is registered}
   *
   * @param id its id
   */
  public ChannelStats channel(long id) {
    return get(topChannels, id);
  }

  /**
   * {@return a subchannel's stats, or null}
   *
   * @param id its id
   */
  public ChannelStats subchannel(long id) {
    return get(subchannels, id);
  }

  /**
   * {@return a server's stats, or null}
   *
   * @param id its id
   */
  public ServerStats server(long id) {
    return get(servers, id);
  }

  /**
   * {@return a socket's stats, or null}
   *
   * @param id its id
   */
  public SocketStats socket(long id) {
    return get(sockets, id);
  }

  /**
   * {@return the name an object was registered with, or null when {@code id} is not registered}
   *
   * @param id its id, of any kind
   */
  public String nameOf(long id) {
    for (Map<Long, Entry> map : List.of(topChannels, subchannels, servers, sockets)) {
      Entry e = map.get(id);
      if (e != null && !e.refersTo(null)) {
        return e.name;
      }
    }
    return null;
  }

  private Registration add(Map<Long, Entry> map, String name, Supplier<?> source) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    expunge();
    long id = nextId.getAndIncrement();
    Entry e = new Entry(id, name, map, source, cleared);
    map.put(id, e);
    return new Registration(e, source);
  }

  @SuppressWarnings("unchecked")
  private <T> T get(Map<Long, Entry> map, long id) {
    expunge();
    Entry e = map.get(id);
    Supplier<?> source = e == null ? null : e.get();
    return source == null ? null : (T) source.get();
  }

  @SuppressWarnings("unchecked")
  private <T> Page<T> page(ConcurrentSkipListMap<Long, Entry> map, long startId, int maxResults) {
    expunge();
    int max = maxResults <= 0 || maxResults > MAX_PAGE ? MAX_PAGE : maxResults;
    List<Listed<T>> out = new ArrayList<>(Math.min(max, 16));
    ConcurrentNavigableMap<Long, Entry> tail = map.tailMap(Math.max(startId, 0), true);
    for (Entry e : tail.values()) {
      Supplier<?> source = e.get();
      if (source == null) {
        continue;
      }
      if (out.size() == max) {
        return new Page<>(out, false);
      }
      out.add(new Listed<>(e.id, e.name, (T) source.get()));
    }
    return new Page<>(out, true);
  }

  /** Drops the entries whose sources were collected. */
  private void expunge() {
    for (Reference<?> r; (r = cleared.poll()) != null; ) {
      Entry e = (Entry) r;
      e.home.remove(e.id, e);
    }
  }

  /** One registered object, held weakly. */
  private static final class Entry extends WeakReference<Supplier<?>> {
    final long id;
    final String name;
    final Map<Long, Entry> home;

    Entry(
        long id,
        String name,
        Map<Long, Entry> home,
        Supplier<?> source,
        ReferenceQueue<Object> queue) {
      super(source, queue);
      this.id = id;
      this.name = name;
      this.home = home;
    }
  }

  /**
   * What a writer keeps while the registered object lives: its id, and the strong reference to its
   * source. {@link #close()} removes it (idempotent).
   *
   * @since 0.3
   */
  public static final class Registration implements AutoCloseable {
    private final Entry entry;

    @SuppressWarnings({"unused", "FieldCanBeLocal"}) // the strong reference the registry lacks
    private final Supplier<?> source;

    private Registration(Entry entry, Supplier<?> source) {
      this.entry = entry;
      this.source = source;
    }

    /** {@return the registered object's id} */
    public long id() {
      return entry.id;
    }

    /** {@return the name it was registered with} */
    public String name() {
      return entry.name;
    }

    /** Removes the object from the registry. */
    @Override
    public void close() {
      entry.home.remove(entry.id, entry);
    }
  }

  /**
   * One listed object.
   *
   * @param id its id
   * @param name the name it was registered with
   * @param stats its stats when listed
   * @param <T> the stats type
   * @since 0.3
   */
  public record Listed<T>(long id, String name, T stats) {}

  /**
   * A page of a listing.
   *
   * @param items the objects, by ascending id
   * @param end whether the listing ends with this page
   * @param <T> the stats type
   * @since 0.3
   */
  public record Page<T>(List<Listed<T>> items, boolean end) {
    /**
     * Copies the list.
     *
     * @param items the objects, by ascending id
     * @param end whether the listing ends with this page
     */
    public Page {
      items = List.copyOf(items);
    }
  }
}
