package dev.switchboard.clientconn.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request messages all calls of a channel keep for retries and hedging, against the
 * channel's limit ({@code RetryBufferLimits.channelBytes}). Lock-free.
 */
final class ReplayBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  ReplayBudget(long limit) {
    this.limit = limit;
  }

  /** Takes {@code bytes} if they fit under the limit; false (nothing taken) when they do not. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = used.get();
      if (bytes > limit - now) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes kept now, for tests. */
  long used() {
    return used.get();
  }
}
