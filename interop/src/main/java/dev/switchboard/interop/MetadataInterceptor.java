package dev.switchboard.interop;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientInterceptor;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client interceptor that adds fixed headers to every call and keeps the response headers and
 * trailers of the last call that got them (the custom_metadata test case).
 */
final class MetadataInterceptor implements ClientInterceptor {
  private final Metadata extraHeaders;
  final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();
  final AtomicReference<Metadata> lastTrailers = new AtomicReference<>();

  MetadataInterceptor(Metadata extraHeaders) {
    this.extraHeaders = extraHeaders;
  }

  @Override
  public <ReqT, RespT> ClientStream<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    ClientStream<ReqT, RespT> call = next.newStream(method, callOptions);
    return new ClientStream<>() {
      @Override
      public void start(ClientStreamListener<RespT> listener, Metadata headers) {
        headers.merge(extraHeaders);
        call.start(
            new ClientStreamListener<>() {
              @Override
              public void onHeaders(Metadata responseHeaders) {
                lastHeaders.set(responseHeaders);
                listener.onHeaders(responseHeaders);
              }

              @Override
              public void onMessage(RespT message) {
                listener.onMessage(message);
              }

              @Override
              public void onClose(Status status, Metadata trailers) {
                lastTrailers.set(trailers);
                listener.onClose(status, trailers);
              }

              @Override
              public void onReady() {
                listener.onReady();
              }
            },
            headers);
      }

      @Override
      public void request(int numMessages) {
        call.request(numMessages);
      }

      @Override
      public void cancel(String message, Throwable cause) {
        call.cancel(message, cause);
      }

      @Override
      public void halfClose() {
        call.halfClose();
      }

      @Override
      public void sendMessage(ReqT message) {
        call.sendMessage(message);
      }

      @Override
      public boolean isReady() {
        return call.isReady();
      }

      @Override
      public void setMessageCompression(boolean enabled) {
        call.setMessageCompression(enabled);
      }

      @Override
      public Attributes getAttributes() {
        return call.getAttributes();
      }
    };
  }
}
