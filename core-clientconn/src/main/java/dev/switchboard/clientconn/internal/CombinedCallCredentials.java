package dev.switchboard.clientconn.internal;

import dev.switchboard.api.CallCredentials;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.SecurityLevel;
import java.util.concurrent.CompletionStage;

/**
 * A channel's call credentials and a call's own, applied together: both are asked at once, and the
 * attempt carries the metadata of the two (the call's added after the channel's). It requires the
 * stronger of their security levels; either failing fails the call.
 */
final class CombinedCallCredentials extends CallCredentials {
  private final CallCredentials channel;
  private final CallCredentials call;

  CombinedCallCredentials(CallCredentials channel, CallCredentials call) {
    this.channel = channel;
    this.call = call;
  }

  @Override
  public CompletionStage<Metadata> requestMetadata(RequestInfo info) {
    CompletionStage<Metadata> first = channel.requestMetadata(info);
    CompletionStage<Metadata> second = call.requestMetadata(info);
    if (first == null || second == null) {
      throw new NullPointerException(
          (first == null ? channel : call) + ".requestMetadata returned null");
    }
    return first.thenCombine(
        second,
        (a, b) -> {
          Metadata both = new Metadata();
          both.merge(a);
          both.merge(b);
          return both;
        });
  }

  @Override
  public SecurityLevel minimumSecurityLevel() {
    SecurityLevel a = channel.minimumSecurityLevel();
    SecurityLevel b = call.minimumSecurityLevel();
    return a == null || b == null ? null : a.atLeast(b) ? a : b;
  }

  @Override
  public String toString() {
    return channel + " + " + call;
  }
}
