package dev.switchboard.api.channelz;

import java.time.InstantSource;
import java.util.Objects;

/**
 * One connection's counters (gRFC A14's {@code SocketData}), kept by its transport.
 *
 * <p><b>Single writer.</b> Every method but {@link #snapshot()} is called only on the connection's
 * own thread (its event loop): they are plain field increments, no lock, no fence, no allocation.
 * {@link #snapshot()} may be called from any thread and reads the fields racily.
 *
 * <p><b>Times without a clock per message.</b> The counting methods do not read the clock; the
 * transport calls {@link #stamp()} once per read batch and once per flush, which reads the clock
 * only if something was counted since the last stamp and sets the matching "last ..." times. A time
 * is therefore the end of the batch the event happened in.
 *
 * <p>Streams and calls: a stream <i>succeeded</i> when it ended with END_STREAM received (client)
 * or sent (server), else it <i>failed</i> (gRFC A14); separately, a stream ended as a successful
 * <i>call</i> when its status was OK, which is what a subchannel's or server's call counts add up.
 *
 * @since 0.3
 */
public final class SocketCounters {
  private final InstantSource clock;

  // Written only by the owning event loop; read racily by snapshot().
  private long localStreams;
  private long remoteStreams;
  private long streamsSucceeded;
  private long streamsFailed;
  private long callsSucceeded;
  private long callsFailed;
  private long messagesSent;
  private long messagesReceived;
  private long keepAlivesSent;
  private long lastLocalStreamMillis;
  private long lastRemoteStreamMillis;
  private long lastMessageSentMillis;
  private long lastMessageReceivedMillis;

  // Only touched by the owning event loop: the counts at the last stamp.
  private long stampedLocal;
  private long stampedRemote;
  private long stampedSent;
  private long stampedReceived;

  /** Counters on the system clock. */
  public SocketCounters() {
    this(InstantSource.system());
  }

  /**
   * Counters whose times come from {@code clock}; tests pass a fake.
   *
   * @param clock the wall clock, not null
   */
  public SocketCounters(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** This side created a stream (a client's call). Owning thread only. */
  public void localStreamStarted() {
    localStreams++;
  }

  /** The peer created a stream (a server's call). Owning thread only. */
  public void remoteStreamStarted() {
    remoteStreams++;
  }

  /**
   * A stream counted as started ended. Owning thread only.
   *
   * @param endOfStream whether END_STREAM was received (client) or sent (server)
   * @param ok whether the call's status was OK
   */
  public void streamEnded(boolean endOfStream, boolean ok) {
    if (endOfStream) {
      streamsSucceeded++;
    } else {
      streamsFailed++;
    }
    if (ok) {
      callsSucceeded++;
    } else {
      callsFailed++;
    }
  }

  /** A gRPC message was written. Owning thread only. */
  public void messageSent() {
    messagesSent++;
  }

  /** A gRPC message was read. Owning thread only. */
  public void messageReceived() {
    messagesReceived++;
  }

  /** A keepalive PING was sent. Owning thread only. */
  public void keepAliveSent() {
    keepAlivesSent++;
  }

  /**
   * Sets the "last ..." times of what was counted since the last stamp to now; reads the clock only
   * if anything was. Owning thread only: once per read batch and per flush.
   */
  public void stamp() {
    if (localStreams == stampedLocal
        && remoteStreams == stampedRemote
        && messagesSent == stampedSent
        && messagesReceived == stampedReceived) {
      return;
    }
    long now = clock.millis();
    if (localStreams != stampedLocal) {
      stampedLocal = localStreams;
      lastLocalStreamMillis = now;
    }
    if (remoteStreams != stampedRemote) {
      stampedRemote = remoteStreams;
      lastRemoteStreamMillis = now;
    }
    if (messagesSent != stampedSent) {
      stampedSent = messagesSent;
      lastMessageSentMillis = now;
    }
    if (messagesReceived != stampedReceived) {
      stampedReceived = messagesReceived;
      lastMessageReceivedMillis = now;
    }
  }

  /** {@return the counts now, read racily unless on the owning thread} */
  public Snapshot snapshot() {
    return new Snapshot(
        localStreams,
        remoteStreams,
        streamsSucceeded,
        streamsFailed,
        callsSucceeded,
        callsFailed,
        messagesSent,
        messagesReceived,
        keepAlivesSent,
        lastLocalStreamMillis,
        lastRemoteStreamMillis,
        lastMessageSentMillis,
        lastMessageReceivedMillis);
  }

  /**
   * The counts of one connection at one moment; times in milliseconds since the epoch, 0 for never.
   *
   * @param localStreams streams this side created
   * @param remoteStreams streams the peer created
   * @param streamsSucceeded streams ended with END_STREAM received (client) or sent (server)
   * @param streamsFailed streams ended otherwise
   * @param callsSucceeded streams ended with status OK
   * @param callsFailed streams ended with another status
   * @param messagesSent gRPC messages written
   * @param messagesReceived gRPC messages read
   * @param keepAlivesSent keepalive PINGs sent
   * @param lastLocalStreamMillis when this side last created a stream
   * @param lastRemoteStreamMillis when the peer last created a stream
   * @param lastMessageSentMillis when a message was last written
   * @param lastMessageReceivedMillis when a message was last read
   * @since 0.3
   */
  public record Snapshot(
      long localStreams,
      long remoteStreams,
      long streamsSucceeded,
      long streamsFailed,
      long callsSucceeded,
      long callsFailed,
      long messagesSent,
      long messagesReceived,
      long keepAlivesSent,
      long lastLocalStreamMillis,
      long lastRemoteStreamMillis,
      long lastMessageSentMillis,
      long lastMessageReceivedMillis) {
    /** Nothing counted: a listen socket's counts. */
    public static final Snapshot EMPTY = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** {@return streams started by either side} */
    public long streamsStarted() {
      return localStreams + remoteStreams;
    }

    /**
     * {@return the calls these streams were, as one side sees them: started by this side ({@code
     * local}, a client) or by the peer (a server)}
     *
     * @param local whether to count the streams this side created, else the peer's
     */
    public CallStats calls(boolean local) {
      return new CallStats(
          local ? localStreams : remoteStreams,
          callsSucceeded,
          callsFailed,
          local ? lastLocalStreamMillis : lastRemoteStreamMillis);
    }
  }
}
