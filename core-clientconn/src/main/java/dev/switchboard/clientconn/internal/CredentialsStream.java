package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallCredentials;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.SecurityLevel;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.StatusRuntimeException;
import dev.switchboard.api.transport.ClientTransport;
import dev.switchboard.api.transport.ClientTransportStreamListener;
import dev.switchboard.api.transport.TransportAttributes;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A call attempt's stream on a picked transport whose call carries {@link CallCredentials}
 * (grpc-java's credentials-applying transport): {@link #start} checks the connection's {@link
 * SecurityLevel} against what the credentials require, asks them for metadata with the connection's
 * attributes, and creates the transport's stream once they answer, with the metadata merged into
 * the headers. Until then the attempt's operations are recorded ({@link BufferingStream}).
 *
 * <p>Failures end the attempt before anything is sent and are final ({@code PROCESSED}): a weak
 * connection with UNAUTHENTICATED; failing credentials with their status (codes reserved for
 * servers become INTERNAL, gRFC A54) or UNAVAILABLE. The call's deadline (its {@link
 * ClientStreamImpl} timer) cancels a wait that lasts too long; a late answer is then ignored.
 */
final class CredentialsStream<ReqT> extends BufferingStream<ReqT> {
  private final ClientTransport transport;
  private final CallCredentials credentials;
  private final String authority;
  private final MethodDescriptor<ReqT, ?> method;
  private final Metadata headers;
  private final CallOptions callOptions;
  private final Marshaller<ReqT> marshaller;

  CredentialsStream(
      ClientTransport transport,
      CallCredentials credentials,
      String authority,
      MethodDescriptor<ReqT, ?> method,
      Metadata headers,
      CallOptions callOptions,
      Marshaller<ReqT> marshaller) {
    this.transport = transport;
    this.credentials = credentials;
    this.authority = authority;
    this.method = method;
    this.headers = headers;
    this.callOptions = callOptions;
    this.marshaller = marshaller;
  }

  @Override
  public void start(ClientTransportStreamListener listener) {
    listen(listener);
    Attributes attributes = transport.attributes();
    SecurityLevel level = TransportAttributes.securityLevel(attributes);
    SecurityLevel required = credentials.minimumSecurityLevel();
    if (required == null || !level.atLeast(required)) {
      fail(
          Status.UNAUTHENTICATED.withDescription(
              "call credentials "
                  + credentials
                  + " require a connection with security level "
                  + required
                  + ", but the connection to "
                  + authority
                  + " has "
                  + level
                  + ": not sent (use TLS credentials)"));
      return;
    }
    CompletionStage<Metadata> stage;
    try {
      stage =
          credentials.requestMetadata(
              new CallCredentials.RequestInfo(
                  method.getFullMethodName(), authority, level, attributes));
      if (stage == null) {
        throw new NullPointerException(credentials + ".requestMetadata returned null");
      }
    } catch (RuntimeException e) {
      fail(statusOf(e));
      return;
    }
    stage.whenComplete(this::answered);
  }

  /** The credentials answered: start the real stream, or fail. Any thread. */
  private void answered(Metadata metadata, Throwable error) {
    if (error == null && metadata == null) {
      error = new NullPointerException(credentials + " completed with null metadata");
    }
    if (error != null) {
      fail(statusOf(error));
      return;
    }
    realize(
        () -> {
          headers.merge(metadata);
          return PickerWrapper.newStream(transport, method, headers, callOptions, marshaller);
        });
  }

  @Override
  Status cancelledBeforeRealStream(Status reason) {
    String why = reason.getDescription();
    return reason.withDescription(
        (why == null ? "" : why + " ")
            + "(while waiting for call credentials "
            + credentials
            + ")");
  }

  private Status statusOf(Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    Status given =
        e instanceof StatusException se
            ? se.getStatus()
            : e instanceof StatusRuntimeException sre ? sre.getStatus() : null;
    if (given == null) {
      return Status.UNAVAILABLE
          .withDescription("call credentials " + credentials + " failed: " + e)
          .withCause(e);
    }
    return switch (given.getCode()) {
      case INVALID_ARGUMENT,
          NOT_FOUND,
          ALREADY_EXISTS,
          FAILED_PRECONDITION,
          ABORTED,
          OUT_OF_RANGE,
          DATA_LOSS ->
          Status.INTERNAL
              .withDescription(
                  "call credentials "
                      + credentials
                      + " failed with "
                      + given.getCode()
                      + ", a code only servers may give: "
                      + given.getDescription())
              .withCause(e);
      default -> given;
    };
  }
}
