package dev.switchboard.api.channelz;

import java.time.Instant;
import java.time.InstantSource;

/** A wall clock the test sets. */
final class ManualClock implements InstantSource {
  private long millis;
  private int reads;

  ManualClock(long millis) {
    this.millis = millis;
  }

  void set(long millis) {
    this.millis = millis;
  }

  int reads() {
    return reads;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public long millis() {
    reads++;
    return millis;
  }
}
