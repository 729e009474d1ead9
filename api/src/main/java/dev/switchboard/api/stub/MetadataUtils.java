package dev.switchboard.api.stub;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientInterceptor;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.ForwardingClientStream;
import dev.switchboard.api.ForwardingClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Client interceptors for the metadata chores every application has: adding headers to each call
 * (an API key, a tenant) and capturing what the server sent back (headers and trailers), for
 * instance to read them after a blocking stub call.
 *
 * @since 0.3
 */
public final class MetadataUtils {
  private MetadataUtils() {}

  /**
   * An interceptor adding {@code extraHeaders} to the headers of every call it sees (merged in at
   * start; the caller's own headers stay).
   *
   * @param extraHeaders the headers to add; copied now, so later changes do not leak in
   * @return the interceptor
   */
  public static ClientInterceptor newAttachHeadersInterceptor(Metadata extraHeaders) {
    Metadata extra = new Metadata().merge(Objects.requireNonNull(extraHeaders, "extraHeaders"));
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientStream<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        return new ForwardingClientStream<>(next.newStream(method, callOptions)) {
          @Override
          public void start(ClientStreamListener<RespT> listener, Metadata headers) {
            headers.merge(extra);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  /**
   * An interceptor storing the response headers and the trailers of the calls it sees (the last
   * call's, when several run): each reference is cleared when a call starts and set when they
   * arrive. Trailers are set before the call's {@code onClose} runs, so a blocking stub's caller
   * can read them once the call returned or threw.
   *
   * @param headersCapture receives the response headers; may be {@code null}
   * @param trailersCapture receives the trailers; may be {@code null}
   * @return the interceptor
   */
  public static ClientInterceptor newCaptureMetadataInterceptor(
      AtomicReference<Metadata> headersCapture, AtomicReference<Metadata> trailersCapture) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientStream<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        return new ForwardingClientStream<>(next.newStream(method, callOptions)) {
          @Override
          public void start(ClientStreamListener<RespT> listener, Metadata headers) {
            set(headersCapture, null);
            set(trailersCapture, null);
            super.start(
                new ForwardingClientStreamListener<>(listener) {
                  @Override
                  public void onHeaders(Metadata responseHeaders) {
                    set(headersCapture, responseHeaders);
                    super.onHeaders(responseHeaders);
                  }

                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    set(trailersCapture, trailers);
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  private static void set(AtomicReference<Metadata> capture, Metadata value) {
    if (capture != null) {
      capture.set(value);
    }
  }
}
