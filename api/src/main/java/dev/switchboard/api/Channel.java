package dev.switchboard.api;

/**
 * Something that starts calls: a {@link ClientConn}, or an intercepted view of one. Thread-safe.
 *
 * @since 0.1
 */
public interface Channel {
  /**
   * Creates a call; nothing is sent until {@link ClientStream#start}. Never throws for transport
   * reasons: failures are reported to the call's listener.
   */
  <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions);

  /** The authority ({@code :authority}) this channel's calls are sent with by default. */
  String authority();
}
