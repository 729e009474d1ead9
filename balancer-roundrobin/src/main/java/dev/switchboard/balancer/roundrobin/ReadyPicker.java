package dev.switchboard.balancer.roundrobin;

import dev.switchboard.api.spi.PickInfo;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.SubConn;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out the READY SubConns in turn. Immutable apart from its cursor; lock-free. Each picker
 * starts at a given (random) offset so that many clients with the same list do not all hit the
 * first backend first.
 */
final class ReadyPicker implements Picker {
  private final List<PickResult> results;
  private final AtomicInteger cursor;

  ReadyPicker(List<SubConn> ready, int startIndex) {
    if (ready.isEmpty()) {
      throw new IllegalArgumentException("no READY SubConn");
    }
    this.results = ready.stream().map(PickResult::withSubConn).toList();
    this.cursor = new AtomicInteger(startIndex);
  }

  @Override
  public PickResult pick(PickInfo info) {
    // floorMod keeps the index valid once the counter wraps past Integer.MAX_VALUE.
    return results.get(Math.floorMod(cursor.getAndIncrement(), results.size()));
  }

  /** The SubConns this picker rotates over, in order. */
  List<SubConn> subConns() {
    return results.stream().map(PickResult::subConn).toList();
  }

  @Override
  public String toString() {
    return "ReadyPicker" + subConns();
  }
}
