package dev.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.Status;

/**
 * Status assertions that touch {@link Status} before {@link Status.Code}: initializing {@code
 * Status.Code} first fails {@code Status}'s class initialization in the current api.
 */
final class StatusAssert {
  private StatusAssert() {}

  static void assertCode(Status expected, Status actual) {
    assertEquals(expected.getCode(), actual.getCode(), () -> "unexpected status " + actual);
  }
}
