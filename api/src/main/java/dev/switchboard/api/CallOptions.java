package dev.switchboard.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Per-call options: deadline, wait-for-ready, compression, message size limits, authority override,
 * callback executor and custom keyed options. Immutable; every {@code withXxx} returns a copy.
 *
 * <p>A {@code ClientConn}'s default call options (from its dial options) are merged under the
 * options passed to each call: a value set here wins.
 *
 * @since 0.1
 */
public final class CallOptions {
  /** No option set: no deadline, fail fast, no compression, the channel's limits and executor. */
  public static final CallOptions DEFAULT = new CallOptions();

  /**
   * A typed key for custom options; compared by identity. Interceptors and balancers (through
   * {@link dev.switchboard.api.spi.PickInfo}) can read the options a call carries.
   *
   * @param <T> the option's value type
   */
  public static final class Key<T> {
    private final String name;
    private final T defaultValue;

    private Key(String name, T defaultValue) {
      this.name = name;
      this.defaultValue = defaultValue;
    }

    /**
     * {@return a new key, distinct from every other key even of the same name}
     *
     * @param name a name for debugging (its {@code toString()}), not null
     * @param defaultValue the value of calls that do not set the option; may be {@code null}
     * @param <T> the option's value type
     */
    public static <T> Key<T> create(String name, T defaultValue) {
      return new Key<>(Objects.requireNonNull(name, "name"), defaultValue);
    }

    /** {@return the value of calls that do not set the option; may be {@code null}} */
    public T getDefault() {
      return defaultValue;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private Deadline deadline;
  private Boolean waitForReady; // null = unset
  private String compressorName;
  private int maxInboundMessageSize = -1; // -1 = unset
  private int maxOutboundMessageSize = -1;
  private String authority;
  private Executor executor;
  private CallCredentials callCredentials;
  private Object[] custom = new Object[0]; // key, value pairs

  private CallOptions() {}

  private CallOptions copy() {
    CallOptions c = new CallOptions();
    c.deadline = deadline;
    c.waitForReady = waitForReady;
    c.compressorName = compressorName;
    c.maxInboundMessageSize = maxInboundMessageSize;
    c.maxOutboundMessageSize = maxOutboundMessageSize;
    c.authority = authority;
    c.executor = executor;
    c.callCredentials = callCredentials;
    c.custom = custom;
    return c;
  }

  /** {@return the deadline, or {@code null} for none} */
  public Deadline getDeadline() {
    return deadline;
  }

  /**
   * {@return a copy with this deadline} When it expires the call fails with DEADLINE_EXCEEDED and
   * the server is told the remaining time ({@code grpc-timeout}).
   *
   * @param deadline the deadline, or {@code null} for none
   */
  public CallOptions withDeadline(Deadline deadline) {
    CallOptions c = copy();
    c.deadline = deadline;
    return c;
  }

  /**
   * {@return a copy with a deadline {@code duration} from now on the system ticker}
   *
   * @param duration how long from now; zero or negative gives an expired deadline
   * @param unit the unit of {@code duration}
   */
  public CallOptions withDeadlineAfter(long duration, TimeUnit unit) {
    return withDeadline(Deadline.after(duration, unit));
  }

  /**
   * {@return whether the call waits for ready} Every call waits while the channel connects; one
   * that waits for ready also stays queued through TRANSIENT_FAILURE, until a connection is ready
   * or its deadline expires, where one that does not (the default) fails with the connection error.
   */
  public boolean isWaitForReady() {
    return Boolean.TRUE.equals(waitForReady);
  }

  /** {@return a copy that waits for ready} See {@link #isWaitForReady()}. */
  public CallOptions withWaitForReady() {
    CallOptions c = copy();
    c.waitForReady = Boolean.TRUE;
    return c;
  }

  /**
   * {@return a copy that fails fast} Unlike leaving the option unset, this also overrides a channel
   * default of wait-for-ready.
   */
  public CallOptions withoutWaitForReady() {
    CallOptions c = copy();
    c.waitForReady = Boolean.FALSE;
    return c;
  }

  /**
   * {@return the compressor messages are sent with ({@code "gzip"}, ...), or {@code null} for none}
   */
  public String getCompressorName() {
    return compressorName;
  }

  /**
   * {@return a copy that compresses the messages it sends} The call fails with INTERNAL when no
   * compressor of that name is in the channel's compressor registry.
   *
   * @param compressorName a registered compressor name such as {@code "gzip"}, or {@code null} for
   *     none
   */
  public CallOptions withCompression(String compressorName) {
    CallOptions c = copy();
    c.compressorName = compressorName;
    return c;
  }

  /**
   * {@return the largest message accepted from the peer, in bytes, or {@code -1} when unset (the
   * channel's limit applies)}
   */
  public int getMaxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  /**
   * {@return a copy that accepts messages up to {@code bytes}} A larger message fails the call with
   * RESOURCE_EXHAUSTED.
   *
   * @param bytes the limit in bytes, at least 0
   * @throws IllegalArgumentException when {@code bytes} is negative
   */
  public CallOptions withMaxInboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size " + bytes);
    }
    CallOptions c = copy();
    c.maxInboundMessageSize = bytes;
    return c;
  }

  /**
   * {@return the largest message this side may send, in bytes, or {@code -1} when unset (the
   * channel's limit applies)}
   */
  public int getMaxOutboundMessageSize() {
    return maxOutboundMessageSize;
  }

  /**
   * {@return a copy that sends messages up to {@code bytes} (serialized, before compression)} A
   * larger message fails the call with RESOURCE_EXHAUSTED.
   *
   * @param bytes the limit in bytes, at least 0
   * @throws IllegalArgumentException when {@code bytes} is negative
   */
  public CallOptions withMaxOutboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size " + bytes);
    }
    CallOptions c = copy();
    c.maxOutboundMessageSize = bytes;
    return c;
  }

  /** {@return the {@code :authority} override for this call, or {@code null} for the channel's} */
  public String getAuthority() {
    return authority;
  }

  /**
   * {@return a copy whose call is sent with this {@code :authority}}
   *
   * @param authority a {@code host[:port]}, or {@code null} for the channel's
   */
  public CallOptions withAuthority(String authority) {
    CallOptions c = copy();
    c.authority = authority;
    return c;
  }

  /**
   * {@return the executor for this call's listener callbacks, or {@code null} for the channel's}
   */
  public Executor getExecutor() {
    return executor;
  }

  /**
   * {@return a copy whose listener callbacks run on {@code executor}} They run one at a time, in
   * order; the call never shuts the executor down.
   *
   * @param executor the executor, or {@code null} for the channel's (see {@link
   *     DialOptions.Builder#executor})
   */
  public CallOptions withExecutor(Executor executor) {
    CallOptions c = copy();
    c.executor = executor;
    return c;
  }

  /**
   * {@return the credentials this call carries, or {@code null} for none} A channel with {@link
   * CompositeCredentials} applies its own as well.
   *
   * @since 0.3
   */
  public CallCredentials getCallCredentials() {
    return callCredentials;
  }

  /**
   * {@return a copy whose call carries these credentials' metadata} They are applied after the
   * call's connection is chosen and never sent over a connection weaker than their {@link
   * CallCredentials#minimumSecurityLevel()}: such a call fails with UNAUTHENTICATED. On a channel
   * with {@link CompositeCredentials}, the call carries the metadata of both.
   *
   * @param credentials the credentials, or {@code null} for none (beyond the channel's)
   * @since 0.3
   */
  public CallOptions withCallCredentials(CallCredentials credentials) {
    CallOptions c = copy();
    c.callCredentials = credentials;
    return c;
  }

  /**
   * {@return the value of a custom option, or the key's default when the option is not set}
   *
   * @param key the option's key
   * @param <T> the option's value type
   */
  @SuppressWarnings("unchecked")
  public <T> T getOption(Key<T> key) {
    for (int i = 0; i < custom.length; i += 2) {
      if (custom[i] == key) {
        return (T) custom[i + 1];
      }
    }
    return key.defaultValue;
  }

  /**
   * {@return a copy with a custom option set, replacing its previous value}
   *
   * @param key the option's key, not null
   * @param value the value; may be {@code null}
   * @param <T> the option's value type
   */
  public <T> CallOptions withOption(Key<T> key, T value) {
    Objects.requireNonNull(key, "key");
    CallOptions c = copy();
    for (int i = 0; i < custom.length; i += 2) {
      if (custom[i] == key) {
        c.custom = custom.clone();
        c.custom[i + 1] = value;
        return c;
      }
    }
    c.custom = Arrays.copyOf(custom, custom.length + 2);
    c.custom[custom.length] = key;
    c.custom[custom.length + 1] = value;
    return c;
  }

  /**
   * {@return these options with the unset ones taken from {@code defaults}} Options set here win,
   * custom options included.
   *
   * @param defaults the options to fall back on, such as a channel's default call options
   */
  public CallOptions withDefaults(CallOptions defaults) {
    if (defaults == DEFAULT || defaults == this) {
      return this;
    }
    if (this == DEFAULT) {
      return defaults; // nothing set here: no copy
    }
    if (!lacksAnyOf(defaults)) {
      return this; // already merged (as a channel merges again past its interceptors): no copy
    }
    CallOptions c = copy();
    if (c.deadline == null) {
      c.deadline = defaults.deadline;
    }
    if (c.waitForReady == null) {
      c.waitForReady = defaults.waitForReady;
    }
    if (c.compressorName == null) {
      c.compressorName = defaults.compressorName;
    }
    if (c.maxInboundMessageSize < 0) {
      c.maxInboundMessageSize = defaults.maxInboundMessageSize;
    }
    if (c.maxOutboundMessageSize < 0) {
      c.maxOutboundMessageSize = defaults.maxOutboundMessageSize;
    }
    if (c.authority == null) {
      c.authority = defaults.authority;
    }
    if (c.executor == null) {
      c.executor = defaults.executor;
    }
    if (c.callCredentials == null) {
      c.callCredentials = defaults.callCredentials;
    }
    for (int i = 0; i < defaults.custom.length; i += 2) {
      boolean present = false;
      for (int j = 0; j < custom.length; j += 2) {
        present |= custom[j] == defaults.custom[i];
      }
      if (!present) {
        c.custom = Arrays.copyOf(c.custom, c.custom.length + 2);
        c.custom[c.custom.length - 2] = defaults.custom[i];
        c.custom[c.custom.length - 1] = defaults.custom[i + 1];
      }
    }
    return c;
  }

  /** Whether {@code defaults} sets an option that is unset here. */
  private boolean lacksAnyOf(CallOptions defaults) {
    if ((deadline == null && defaults.deadline != null)
        || (waitForReady == null && defaults.waitForReady != null)
        || (compressorName == null && defaults.compressorName != null)
        || (maxInboundMessageSize < 0 && defaults.maxInboundMessageSize >= 0)
        || (maxOutboundMessageSize < 0 && defaults.maxOutboundMessageSize >= 0)
        || (authority == null && defaults.authority != null)
        || (executor == null && defaults.executor != null)
        || (callCredentials == null && defaults.callCredentials != null)) {
      return true;
    }
    for (int i = 0; i < defaults.custom.length; i += 2) {
      boolean present = false;
      for (int j = 0; j < custom.length; j += 2) {
        present |= custom[j] == defaults.custom[i];
      }
      if (!present) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "CallOptions{deadline="
        + deadline
        + ", waitForReady="
        + waitForReady
        + ", compressor="
        + compressorName
        + ", maxIn="
        + maxInboundMessageSize
        + ", maxOut="
        + maxOutboundMessageSize
        + ", authority="
        + authority
        + "}";
  }
}
