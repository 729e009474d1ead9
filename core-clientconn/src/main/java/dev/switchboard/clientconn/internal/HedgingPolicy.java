package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Status;
import java.util.Set;

/**
 * A method's {@code hedgingPolicy} (gRFC A6): up to {@code maxAttempts} copies of a call, the next
 * one sent {@code hedgingDelay} after the previous (at once when one fails with a non-fatal code);
 * the first response wins. Immutable.
 *
 * @param maxAttempts copies in all, the first included; 2 to {@link RetryPolicy#MAX_ATTEMPTS}
 * @param hedgingDelayNanos the wait between copies; 0 sends them all at once
 * @param nonFatalCodes the codes after which the other copies carry on; any other code ends the
 *     call with it
 */
record HedgingPolicy(int maxAttempts, long hedgingDelayNanos, Set<Status.Code> nonFatalCodes) {
  HedgingPolicy {
    nonFatalCodes = Set.copyOf(nonFatalCodes);
  }

  boolean isNonFatal(Status.Code code) {
    return nonFatalCodes.contains(code);
  }
}
