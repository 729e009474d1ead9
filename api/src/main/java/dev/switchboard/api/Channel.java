package dev.switchboard.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Something that starts calls: a {@link ClientConn}, or an intercepted view of one. Thread-safe.
 *
 * @since 0.1
 */
@ConsumerType
public interface Channel {
  /**
   * Creates a call; nothing is sent until {@link ClientStream#start}. Never throws for transport
   * reasons: failures are reported to the call's listener.
   *
   * @param method the method to call, not null
   * @param callOptions the call's options, not null; a {@link ClientConn} puts its default call
   *     options under them
   * @param <ReqT> request message type
   * @param <RespT> response message type
   * @return a new, unstarted call
   */
  <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions);

  /** {@return the authority ({@code :authority}) this channel's calls are sent with by default} */
  String authority();
}
