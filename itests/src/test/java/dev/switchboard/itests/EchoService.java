package dev.switchboard.itests;

import com.google.protobuf.BytesValue;
import com.google.protobuf.StringValue;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.MethodType;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServiceDefinition;
import dev.switchboard.api.Status;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A test service written against the raw server API (no stub helpers), so that e2e tests exercise
 * the call model directly. Requests are {@code StringValue}s whose text drives behaviour:
 *
 * <ul>
 *   <li>{@code Unary}: echoes; {@code "status:<code>:<message>"} closes with that status; echoes
 *       header {@code x-echo-initial} into headers and {@code x-echo-trailing-bin} into trailers;
 *       answers {@code "id"} with the server's id.
 *   <li>{@code ServerStream}: request {@code "<n>"} → n responses "0".."n-1".
 *   <li>{@code ClientStream}: joins all requests with ','.
 *   <li>{@code Bidi}: echoes each request as it arrives.
 *   <li>{@code Hang}: never answers until {@link #release} is counted down; records {@code
 *       "started"}, {@code "cancelled"} and {@code "completed"} in {@link #events}.
 *   <li>{@code Big}: echoes a {@code BytesValue}.
 * </ul>
 */
final class EchoService {
  static final String SERVICE = "switchboard.test.Echo";
  static final MethodDescriptor<StringValue, StringValue> UNARY =
      MethodDescriptor.of(
          SERVICE + "/Unary", MethodType.UNARY, StringValue.class, StringValue.class);
  static final MethodDescriptor<StringValue, StringValue> SERVER_STREAM =
      MethodDescriptor.of(
          SERVICE + "/ServerStream",
          MethodType.SERVER_STREAMING,
          StringValue.class,
          StringValue.class);
  static final MethodDescriptor<StringValue, StringValue> CLIENT_STREAM =
      MethodDescriptor.of(
          SERVICE + "/ClientStream",
          MethodType.CLIENT_STREAMING,
          StringValue.class,
          StringValue.class);
  static final MethodDescriptor<StringValue, StringValue> BIDI =
      MethodDescriptor.of(
          SERVICE + "/Bidi", MethodType.BIDI_STREAMING, StringValue.class, StringValue.class);
  static final MethodDescriptor<StringValue, StringValue> HANG =
      MethodDescriptor.of(
          SERVICE + "/Hang", MethodType.UNARY, StringValue.class, StringValue.class);
  static final MethodDescriptor<BytesValue, BytesValue> BIG =
      MethodDescriptor.of(SERVICE + "/Big", MethodType.UNARY, BytesValue.class, BytesValue.class);

  final String id;
  final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  final CountDownLatch release = new CountDownLatch(1);

  EchoService(String id) {
    this.id = id;
  }

  static StringValue str(String s) {
    return StringValue.of(s);
  }

  ServiceDefinition definition() {
    return ServiceDefinition.newBuilder(SERVICE)
        .addMethod(UNARY, unary())
        .addMethod(SERVER_STREAM, serverStream())
        .addMethod(CLIENT_STREAM, clientStream())
        .addMethod(BIDI, bidi())
        .addMethod(HANG, hang())
        .addMethod(BIG, big())
        .build();
  }

  private ServerCallHandler<StringValue, StringValue> unary() {
    return (call, headers) -> {
      call.request(1);
      return new ServerCallListener<>() {
        @Override
        public void onMessage(StringValue req) {
          Metadata responseHeaders = new Metadata();
          String echo = headers.get("x-echo-initial");
          if (echo != null) {
            responseHeaders.put("x-echo-initial", echo);
          }
          call.sendHeaders(responseHeaders);
          Metadata trailers = new Metadata();
          byte[] trailing = headers.getBinary("x-echo-trailing-bin");
          if (trailing != null) {
            trailers.putBinary("x-echo-trailing-bin", trailing);
          }
          String text = req.getValue();
          if (text.startsWith("status:")) {
            String[] parts = text.split(":", 3);
            call.close(
                Status.fromCodeValue(Integer.parseInt(parts[1])).withDescription(parts[2]),
                trailers);
            return;
          }
          call.sendMessage(str(text.equals("id") ? id : text));
          call.close(Status.OK, trailers);
        }
      };
    };
  }

  private ServerCallHandler<StringValue, StringValue> serverStream() {
    return (call, headers) -> {
      call.request(1);
      return new ServerCallListener<>() {
        @Override
        public void onMessage(StringValue req) {
          int n = Integer.parseInt(req.getValue());
          for (int i = 0; i < n; i++) {
            call.sendMessage(str(Integer.toString(i)));
          }
          call.close(Status.OK, new Metadata());
        }
      };
    };
  }

  private ServerCallHandler<StringValue, StringValue> clientStream() {
    return (call, headers) -> {
      call.request(1);
      return new ServerCallListener<>() {
        final StringBuilder joined = new StringBuilder();

        @Override
        public void onMessage(StringValue req) {
          if (joined.length() > 0) {
            joined.append(',');
          }
          joined.append(req.getValue());
          call.request(1);
        }

        @Override
        public void onHalfClose() {
          call.sendMessage(str(joined.toString()));
          call.close(Status.OK, new Metadata());
        }
      };
    };
  }

  private ServerCallHandler<StringValue, StringValue> bidi() {
    return (call, headers) -> {
      call.request(1);
      return new ServerCallListener<>() {
        @Override
        public void onMessage(StringValue req) {
          call.sendMessage(req);
          call.request(1);
        }

        @Override
        public void onHalfClose() {
          call.close(Status.OK, new Metadata());
        }
      };
    };
  }

  private ServerCallHandler<StringValue, StringValue> hang() {
    return (call, headers) -> {
      call.request(1);
      events.add("started");
      return new ServerCallListener<>() {
        @Override
        public void onHalfClose() {
          // Wait off the listener thread so the call's other events still flow.
          Thread t =
              new Thread(
                  () -> {
                    try {
                      release.await();
                      if (!call.isCancelled()) {
                        call.sendMessage(str("released"));
                        call.close(Status.OK, new Metadata());
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    } catch (IllegalStateException e) {
                      // Closed concurrently by a cancellation: fine.
                    }
                  },
                  "hang-" + id);
          t.setDaemon(true);
          t.start();
        }

        @Override
        public void onCancel() {
          events.add("cancelled");
        }

        @Override
        public void onComplete() {
          events.add("completed");
        }
      };
    };
  }

  private ServerCallHandler<BytesValue, BytesValue> big() {
    return (call, headers) -> {
      call.request(1);
      return new ServerCallListener<>() {
        @Override
        public void onMessage(BytesValue req) {
          call.sendMessage(req);
          call.close(Status.OK, new Metadata());
        }
      };
    };
  }
}
