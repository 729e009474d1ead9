package dev.switchboard.balancer.roundrobin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.api.spi.Address;
import dev.switchboard.api.spi.SubConn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadyPickerTest {
  private static SubConn subConn(String name) {
    return new SubConn() {
      @Override
      public void connect() {}

      @Override
      public void shutdown() {}

      @Override
      public void updateAddresses(List<Address> addresses) {}

      @Override
      public List<Address> addresses() {
        return List.of();
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  @Test
  void startsAtTheGivenIndexAndWrapsAround() {
    SubConn a = subConn("a");
    SubConn b = subConn("b");
    SubConn c = subConn("c");
    ReadyPicker picker = new ReadyPicker(List.of(a, b, c), 2);
    List<SubConn> picked = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picked.add(picker.pick(null).subConn());
    }
    assertEquals(List.of(c, a, b, c), picked);
  }

  @Test
  void staysInRangeWhenTheCursorOverflows() {
    SubConn a = subConn("a");
    SubConn b = subConn("b");
    SubConn c = subConn("c");
    ReadyPicker picker = new ReadyPicker(List.of(a, b, c), Integer.MAX_VALUE - 1);
    List<SubConn> picked = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      picked.add(picker.pick(null).subConn()); // no IndexOutOfBounds past the wrap
    }
    assertEquals(List.of(a, b), picked.subList(0, 2), "in turn up to Integer.MAX_VALUE");
    assertEquals(
        java.util.Set.of(a, b, c),
        java.util.Set.copyOf(picked.subList(3, 6)),
        "and every SubConn in turn after the counter wrapped: " + picked);
  }

  @Test
  void refusesAnEmptyList() {
    assertThrows(IllegalArgumentException.class, () -> new ReadyPicker(List.of(), 0));
  }
}
