package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.StringMarshaller;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {
  private final ReplayBudget budget = new ReplayBudget(100);

  @Test
  void operationsPastTheCountAreOverTheLimit() {
    ReplayBuffer<String> b = new ReplayBuffer<>(budget, 100);
    for (int i = 0; i < ReplayBuffer.MAX_OPERATIONS; i++) {
      b.add(s -> {});
    }
    assertFalse(b.isOverLimit());
    b.add(s -> {});
    assertTrue(b.isOverLimit());
  }

  @Test
  void bytesCountAgainstTheCallAndTheChannelAndComeBackOnRelease() {
    ReplayBuffer<String> one = new ReplayBuffer<>(budget, 60);
    one.addMessage(s -> {}, 50);
    assertEquals(50, budget.used());
    one.addMessage(s -> {}, 20); // 70 > 60 for the call
    assertTrue(one.isOverLimit());
    assertEquals(50, budget.used(), "what did not fit is not taken");

    ReplayBuffer<String> two = new ReplayBuffer<>(budget, 60);
    two.addMessage(s -> {}, 51); // fits the call, not the channel's 100
    assertTrue(two.isOverLimit());
    one.release();
    one.release();
    assertEquals(0, budget.used(), "released once");
  }

  @Test
  void anUnknownSizeIsCountedByEncoding() {
    assertEquals(5, ReplayBuffer.sizeOf(StringMarshaller.INSTANCE, "hello"));
    assertEquals(9, ReplayBuffer.sizeOf(new StringMarshaller("pre:"), "hello"));
  }
}
