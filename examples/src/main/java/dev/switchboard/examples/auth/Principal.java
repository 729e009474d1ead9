package dev.switchboard.examples.auth;

import dev.switchboard.api.Context;
import java.util.Objects;

/**
 * Who a call comes from, as {@link AuthInterceptor} established it: the user its bearer token
 * belongs to, and the client (workload) its TLS certificate names. The interceptor puts it in the
 * call's {@link Context}, where the handler finds it with {@link #current()}.
 *
 * @param user the user the bearer token was issued to
 * @param client the name in the client's certificate that was allowed: its subject ({@code CN=...})
 *     or one of its subject alternative names
 * @since 0.3
 */
public record Principal(String user, String client) {
  /** The context key under which {@link AuthInterceptor} stores the principal. */
  static final Context.Key<Principal> KEY = new Context.Key<>("switchboard.examples.principal");

  /**
   * Checks the components.
   *
   * @param user not null
   * @param client not null
   */
  public Principal {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(client, "client");
  }

  /**
   * {@return the principal of the call being handled on this thread, or {@code null} outside a call
   * that {@link AuthInterceptor} let through}
   */
  public static Principal current() {
    return Context.current().get(KEY);
  }
}
