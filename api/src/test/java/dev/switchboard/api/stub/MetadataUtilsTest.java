package dev.switchboard.api.stub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Channel;
import dev.switchboard.api.ClientInterceptor;
import dev.switchboard.api.ClientStream;
import dev.switchboard.api.ClientStreamListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The metadata interceptors, through the forwarding call and listener they are made of. */
class MetadataUtilsTest {
  private static final MethodDescriptor<String, String> METHOD =
      MethodDescriptor.of("test.Svc/Get", MethodType.UNARY, String.class, String.class);

  private final FakeChannel fake = new FakeChannel();

  private ClientStream<String, String> call(ClientInterceptor interceptor) {
    Channel channel = ClientInterceptor.intercept(fake, List.of(interceptor));
    return channel.newStream(METHOD, CallOptions.DEFAULT);
  }

  @Test
  void attachHeadersAddsToEveryCallsOwnHeaders() {
    Metadata extra = new Metadata().put("x-api-key", "k");
    ClientInterceptor interceptor = MetadataUtils.newAttachHeadersInterceptor(extra);
    extra.put("x-late", "not sent"); // copied when the interceptor was made

    for (int i = 0; i < 2; i++) {
      call(interceptor).start(new ClientStreamListener<>() {}, new Metadata().put("x-own", "o"));
      Metadata sent = fake.stream(i).startHeaders;
      assertEquals("o", sent.get("x-own"));
      assertEquals("k", sent.get("x-api-key"));
      assertNull(sent.get("x-late"));
    }
  }

  @Test
  void captureSeesResponseHeadersAndTrailersBeforeTheApplicationDoes() {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    List<String> seen = new ArrayList<>();
    call(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
        .start(
            new ClientStreamListener<>() {
              @Override
              public void onHeaders(Metadata h) {
                seen.add("headers captured: " + (headers.get() == h));
              }

              @Override
              public void onClose(Status status, Metadata t) {
                seen.add("trailers captured: " + (trailers.get() == t));
              }
            },
            new Metadata());
    Metadata responseHeaders = new Metadata().put("x-server", "s");
    fake.stream(0).listener.onHeaders(responseHeaders);
    Metadata responseTrailers = new Metadata().put("x-cost", "3");
    fake.stream(0).serverCloses(Status.OK, responseTrailers);

    assertEquals(List.of("headers captured: true", "trailers captured: true"), seen);
    assertSame(responseTrailers, trailers.get());
  }
}
