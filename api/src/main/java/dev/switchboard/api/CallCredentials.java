package dev.switchboard.api;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Credentials attached to every call of a channel, such as a bearer token, sent as request
 * metadata. Combined with secure transport credentials by {@link CompositeCredentials}, so that
 * they never travel in plaintext.
 *
 * <p>Implement {@link #requestMetadata}. The channel calls it once per call when the call starts,
 * on the thread starting it, and merges the metadata into the call's headers once the returned
 * stage completes; messages sent meanwhile wait. Keep it cheap: return a completed stage when the
 * value is at hand (a cached token), else complete the stage later from another thread.
 *
 * @since 0.3
 */
@ConsumerType
public abstract class CallCredentials {
  /**
   * What a call's credentials may depend on.
   *
   * @param fullMethodName the method, {@code package.Service/Method}
   * @param authority the channel's authority, which the server's certificate was verified against
   * @since 0.3
   */
  public record RequestInfo(String fullMethodName, String authority) {
    /**
     * Checks the components.
     *
     * @param fullMethodName not null
     * @param authority not null
     */
    public RequestInfo {
      Objects.requireNonNull(fullMethodName, "fullMethodName");
      Objects.requireNonNull(authority, "authority");
    }
  }

  /**
   * For subclasses.
   *
   * @since 0.3
   */
  protected CallCredentials() {}

  /**
   * Produces the metadata for one call. Must not block.
   *
   * @param info the call
   * @return a stage completing with the metadata to add to the call's headers, not null. Completed
   *     exceptionally, it fails the call: with the status of a {@link StatusException} or {@link
   *     StatusRuntimeException}, else with UNAVAILABLE. A call whose deadline expires first fails
   *     with DEADLINE_EXCEEDED.
   */
  public abstract CompletionStage<Metadata> requestMetadata(RequestInfo info);
}
