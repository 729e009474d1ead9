package dev.switchboard.examples.auth;

import dev.switchboard.api.CallCredentials;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Client side: call credentials that send {@code authorization: Bearer <token>} with every call,
 * the token read from a supplier when the call starts (so a refreshed token is picked up by the
 * next call). Combine them with TLS, {@code CompositeCredentials.of(tls, new
 * BearerTokenCredentials(tokens))}, so that the token never travels in plaintext.
 *
 * @since 0.3
 */
public final class BearerTokenCredentials extends CallCredentials {
  private final Supplier<String> tokens;

  /**
   * Credentials sending the token {@code tokens} supplies; it must return at once (a cached token),
   * since it runs on the thread starting the call.
   *
   * @param tokens the token source, not null
   * @since 0.3
   */
  public BearerTokenCredentials(Supplier<String> tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  @Override
  public CompletionStage<Metadata> requestMetadata(RequestInfo info) {
    String token = tokens.get();
    if (token == null || token.isEmpty()) {
      // The call fails with this status instead of going out without a token.
      return CompletableFuture.failedFuture(
          Status.UNAUTHENTICATED.withDescription("no bearer token to send").asException());
    }
    return CompletableFuture.completedFuture(
        new Metadata().put(AuthInterceptor.AUTHORIZATION, AuthInterceptor.BEARER + token));
  }
}
