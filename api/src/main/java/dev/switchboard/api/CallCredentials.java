package dev.switchboard.api;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Credentials carried by calls as request metadata, such as a bearer token: for every call of a
 * channel ({@link CompositeCredentials}) or for one call ({@link
 * CallOptions#withCallCredentials(CallCredentials)}).
 *
 * <p>Implement {@link #requestMetadata}. The channel calls it once per attempt, after the attempt
 * was given a connection, so the connection's {@link SecurityLevel} and attributes (TLS session,
 * peer certificates) are known; it merges the metadata into the attempt's headers once the returned
 * stage completes, and messages sent meanwhile wait. Keep it cheap: return a completed stage when
 * the value is at hand (a cached token), else complete the stage later from another thread. The
 * call's deadline covers the wait.
 *
 * <p>Credentials are never sent over a connection weaker than {@link #minimumSecurityLevel()}
 * (privacy by default): such a call fails with UNAUTHENTICATED before anything is sent.
 *
 * @since 0.3
 */
@ConsumerType
public abstract class CallCredentials {
  /**
   * What a call's credentials may depend on.
   *
   * @param fullMethodName the method, {@code package.Service/Method}
   * @param authority the call's authority, which the server's certificate was verified against
   * @param securityLevel how well the attempt's connection protects the metadata
   * @param transportAttributes the connection's attributes (see {@link
   *     dev.switchboard.api.transport.TransportAttributes})
   * @since 0.3
   */
  public record RequestInfo(
      String fullMethodName,
      String authority,
      SecurityLevel securityLevel,
      Attributes transportAttributes) {
    /**
     * Checks the components.
     *
     * @param fullMethodName not null
     * @param authority not null
     * @param securityLevel not null
     * @param transportAttributes not null
     */
    public RequestInfo {
      Objects.requireNonNull(fullMethodName, "fullMethodName");
      Objects.requireNonNull(authority, "authority");
      Objects.requireNonNull(securityLevel, "securityLevel");
      Objects.requireNonNull(transportAttributes, "transportAttributes");
    }
  }

  /**
   * For subclasses.
   *
   * @since 0.3
   */
  protected CallCredentials() {}

  /**
   * Produces the metadata for one attempt of a call. Must not block.
   *
   * @param info the call and its connection
   * @return a stage completing with the metadata to add to the call's headers, not null. Completed
   *     exceptionally, it fails the call: with the status of a {@link StatusException} or {@link
   *     StatusRuntimeException} (except the codes gRPC reserves for servers — INVALID_ARGUMENT,
   *     NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, DATA_LOSS — which
   *     become INTERNAL, as gRFC A54 says), else with UNAVAILABLE. A call whose deadline expires
   *     first fails with DEADLINE_EXCEEDED.
   */
  public abstract CompletionStage<Metadata> requestMetadata(RequestInfo info);

  /**
   * {@return the weakest connection these credentials may travel over} {@link
   * SecurityLevel#PRIVACY_AND_INTEGRITY} unless overridden: a token must not be readable on the
   * path. Override to return {@link SecurityLevel#NONE} only for credentials that are no secret.
   */
  public SecurityLevel minimumSecurityLevel() {
    return SecurityLevel.PRIVACY_AND_INTEGRITY;
  }
}
