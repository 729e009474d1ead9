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
  public static final CallOptions DEFAULT = new CallOptions();

  /** A typed key for custom options; compared by identity. */
  public static final class Key<T> {
    private final String name;
    private final T defaultValue;

    private Key(String name, T defaultValue) {
      this.name = name;
      this.defaultValue = defaultValue;
    }

    public static <T> Key<T> create(String name, T defaultValue) {
      return new Key<>(Objects.requireNonNull(name, "name"), defaultValue);
    }

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
    c.custom = custom;
    return c;
  }

  /** The deadline, or {@code null} for none. */
  public Deadline getDeadline() {
    return deadline;
  }

  public CallOptions withDeadline(Deadline deadline) {
    CallOptions c = copy();
    c.deadline = deadline;
    return c;
  }

  /** Shorthand for a deadline {@code duration} from now on the system ticker. */
  public CallOptions withDeadlineAfter(long duration, TimeUnit unit) {
    return withDeadline(Deadline.after(duration, unit));
  }

  /** Wait-for-ready: queue the call through TRANSIENT_FAILURE instead of failing fast. */
  public boolean isWaitForReady() {
    return Boolean.TRUE.equals(waitForReady);
  }

  public CallOptions withWaitForReady() {
    CallOptions c = copy();
    c.waitForReady = Boolean.TRUE;
    return c;
  }

  public CallOptions withoutWaitForReady() {
    CallOptions c = copy();
    c.waitForReady = Boolean.FALSE;
    return c;
  }

  /** The compressor to send with ({@code "gzip"}, ...), or {@code null} for none. */
  public String getCompressorName() {
    return compressorName;
  }

  public CallOptions withCompression(String compressorName) {
    CallOptions c = copy();
    c.compressorName = compressorName;
    return c;
  }

  /** The largest message accepted from the peer, or {@code -1} when unset. */
  public int getMaxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  public CallOptions withMaxInboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size " + bytes);
    }
    CallOptions c = copy();
    c.maxInboundMessageSize = bytes;
    return c;
  }

  /** The largest message this side may send, or {@code -1} when unset. */
  public int getMaxOutboundMessageSize() {
    return maxOutboundMessageSize;
  }

  public CallOptions withMaxOutboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size " + bytes);
    }
    CallOptions c = copy();
    c.maxOutboundMessageSize = bytes;
    return c;
  }

  /** The {@code :authority} override for this call, or {@code null}. */
  public String getAuthority() {
    return authority;
  }

  public CallOptions withAuthority(String authority) {
    CallOptions c = copy();
    c.authority = authority;
    return c;
  }

  /** The executor for this call's listener callbacks, or {@code null} for the channel's. */
  public Executor getExecutor() {
    return executor;
  }

  public CallOptions withExecutor(Executor executor) {
    CallOptions c = copy();
    c.executor = executor;
    return c;
  }

  @SuppressWarnings("unchecked")
  public <T> T getOption(Key<T> key) {
    for (int i = 0; i < custom.length; i += 2) {
      if (custom[i] == key) {
        return (T) custom[i + 1];
      }
    }
    return key.defaultValue;
  }

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

  /** Options set here win; unset ones are taken from {@code defaults}. */
  public CallOptions withDefaults(CallOptions defaults) {
    if (defaults == DEFAULT || defaults == this) {
      return this;
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

  @Override
  public String toString() {
    return "CallOptions{deadline=" + deadline + ", waitForReady=" + waitForReady
        + ", compressor=" + compressorName + ", maxIn=" + maxInboundMessageSize
        + ", maxOut=" + maxOutboundMessageSize + ", authority=" + authority + "}";
  }
}
