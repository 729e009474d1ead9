package dev.switchboard.itests;

import dev.switchboard.api.Context;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientAttemptTracer;
import dev.switchboard.api.telemetry.ClientCallInfo;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.telemetry.ServerCallInfo;
import dev.switchboard.api.telemetry.ServerCallTracer;
import dev.switchboard.api.telemetry.TelemetryProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A telemetry provider that writes every tracer event of every call down as text, in order: client
 * calls as {@code "attempt <previous> <transparent>"}, {@code "<n>:outHeaders"}, {@code "<n>:out
 * <seqNo> <wire> <uncompressed>"}, {@code "<n>:inHeaders"}, {@code "<n>:in ..."}, {@code
 * "<n>:trailers"}, {@code "<n>:ended <CODE>"}, {@code "callEnded <CODE>"} (n the attempt's previous
 * attempts); server calls as {@code "filterContext"}, {@code "in ..."}, {@code "outHeaders"},
 * {@code "out ..."}, {@code "callEnded <CODE>"}. Each client attempt adds {@code x-traced:
 * attempt-<n>} to its headers; each server call puts {@link #VALUE} in its context.
 */
final class RecordingTelemetry implements TelemetryProvider {
  static final Context.Key<String> VALUE = new Context.Key<>("recording-telemetry");

  private final String name;
  final BlockingQueue<ClientCall> clientCalls = new LinkedBlockingQueue<>();
  final BlockingQueue<ServerCall> serverCalls = new LinkedBlockingQueue<>();

  RecordingTelemetry(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ClientCallTracer.Factory clientCallTracers() {
    return info -> {
      ClientCall c = new ClientCall(info);
      clientCalls.add(c);
      return c;
    };
  }

  @Override
  public ServerCallTracer.Factory serverCallTracers() {
    return info -> {
      ServerCall c = new ServerCall(info);
      serverCalls.add(c);
      return c;
    };
  }

  ClientCall nextClientCall() throws InterruptedException {
    ClientCall c = clientCalls.poll(10, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no client call traced within 10 s");
    }
    return c;
  }

  ServerCall nextServerCall() throws InterruptedException {
    ServerCall c = serverCalls.poll(10, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no server call traced within 10 s");
    }
    return c;
  }

  /** Events of one traced call, and a latch released by its end. */
  abstract static class Recorded {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch ended = new CountDownLatch(1);

    void add(String event) {
      synchronized (events) {
        events.add(event);
        events.notifyAll();
      }
    }

    /** Waits until an event starting with {@code prefix} is recorded; returns the events then. */
    List<String> awaitEvent(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      synchronized (events) {
        while (events.stream().noneMatch(e -> e.startsWith(prefix))) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError("no event '" + prefix + "...' within 10 s: " + events);
          }
          TimeUnit.NANOSECONDS.timedWait(events, left);
        }
        return List.copyOf(events);
      }
    }

    List<String> awaitEnd() throws InterruptedException {
      if (!ended.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("call not ended within 10 s: " + events);
      }
      synchronized (events) {
        return List.copyOf(events);
      }
    }
  }

  static final class ClientCall extends Recorded implements ClientCallTracer {
    final ClientCallInfo info;

    ClientCall(ClientCallInfo info) {
      this.info = info;
    }

    @Override
    public ClientAttemptTracer newAttempt(int previousAttempts, boolean transparentRetry) {
      add("attempt " + previousAttempts + " " + transparentRetry);
      String p = previousAttempts + ":";
      return new ClientAttemptTracer() {
        @Override
        public void outboundHeaders(Metadata headers) {
          add(p + "outHeaders");
          headers.put("x-traced", "attempt-" + previousAttempts);
        }

        @Override
        public void inboundHeaders(Metadata headers) {
          add(p + "inHeaders");
        }

        @Override
        public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
          add(p + "out " + seqNo + " " + wireSize + " " + uncompressedSize);
        }

        @Override
        public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
          add(p + "in " + seqNo + " " + wireSize + " " + uncompressedSize);
        }

        @Override
        public void inboundTrailers(Metadata trailers) {
          add(p + "trailers");
        }

        @Override
        public void attemptEnded(Status status) {
          add(p + "ended " + status.getCode());
        }
      };
    }

    @Override
    public void callEnded(Status status) {
      add("callEnded " + status.getCode());
      ended.countDown();
    }
  }

  static final class ServerCall extends Recorded implements ServerCallTracer {
    final ServerCallInfo info;

    ServerCall(ServerCallInfo info) {
      this.info = info;
    }

    @Override
    public Context filterContext(Context context) {
      add("filterContext");
      return context.withValue(VALUE, "traced " + info.fullMethodName());
    }

    @Override
    public void outboundHeaders(Metadata headers) {
      add("outHeaders");
    }

    @Override
    public void inboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      add("in " + seqNo + " " + wireSize + " " + uncompressedSize);
    }

    @Override
    public void outboundMessage(int seqNo, long wireSize, long uncompressedSize) {
      add("out " + seqNo + " " + wireSize + " " + uncompressedSize);
    }

    @Override
    public void callEnded(Status status) {
      add("callEnded " + status.getCode());
      ended.countDown();
    }
  }
}
