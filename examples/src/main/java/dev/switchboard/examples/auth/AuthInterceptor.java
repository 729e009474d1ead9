package dev.switchboard.examples.auth;

import dev.switchboard.api.Context;
import dev.switchboard.api.ForwardingServerCallListener;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.ServerCall;
import dev.switchboard.api.ServerCallHandler;
import dev.switchboard.api.ServerCallListener;
import dev.switchboard.api.ServerInterceptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.transport.TransportAttributes;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Server side: lets a call through only when the client proves who it is twice, and tells the
 * handler who that is.
 *
 * <ol>
 *   <li>Mutual TLS: the client's certificate, verified by the TLS handshake and read from the
 *       call's transport attributes ({@link TransportAttributes#PEER_CERTIFICATES}), must carry one
 *       of the allowed client names, as its subject ({@code CN=billing}) or as a DNS or URI subject
 *       alternative name ({@code billing.internal}, {@code spiffe://example.org/billing}). No
 *       certificate (a plaintext connection, or a client that sent none) is UNAUTHENTICATED; a
 *       certificate naming no allowed client is PERMISSION_DENIED.
 *   <li>A bearer token: the {@code authorization} header must be {@code Bearer <token>}, and the
 *       verifier must know the token. A missing header, another scheme or an unknown token is
 *       UNAUTHENTICATED.
 * </ol>
 *
 * <p>A refused call is closed before its handler sees it. An accepted one runs with a {@link
 * Principal} (the token's user, the client's allowed name) in its {@link Context}: the handler
 * reads it with {@link Principal#current()}, on the call's threads, and so do the interceptors
 * after this one. The server needs TLS with client certificates verified against the clients' CA
 * ({@code rootCertificates(clientCa)}, {@code clientAuth(REQUIRE)} or {@code OPTIONAL}). The status
 * messages say what was wrong but never echo the token.
 *
 * @since 0.3
 */
public final class AuthInterceptor implements ServerInterceptor {
  /** The request header that carries the token. */
  static final String AUTHORIZATION = "authorization";

  /** The scheme prefix of a bearer token's header value. */
  static final String BEARER = "Bearer ";

  private final Function<String, String> tokenVerifier;
  private final Set<String> allowedClients;

  /**
   * An interceptor checking tokens with {@code tokenVerifier} and client certificates against
   * {@code allowedClients}.
   *
   * @param tokenVerifier the user a token was issued to, or {@code null} for a token it does not
   *     know; called on the server's executor, so it must not block (compare secrets in constant
   *     time, e.g. with {@link java.security.MessageDigest#isEqual})
   * @param allowedClients the client names let in: certificate subjects as {@link
   *     javax.security.auth.x500.X500Principal#getName()} writes them, or DNS / URI subject
   *     alternative names
   * @since 0.3
   */
  public AuthInterceptor(Function<String, String> tokenVerifier, Set<String> allowedClients) {
    this.tokenVerifier = Objects.requireNonNull(tokenVerifier, "tokenVerifier");
    this.allowedClients = Set.copyOf(allowedClients);
  }

  @Override
  public <ReqT, RespT> ServerCallListener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    List<Certificate> chain = call.getAttributes().get(TransportAttributes.PEER_CERTIFICATES);
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate)) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription("no client certificate"));
    }
    X509Certificate leaf = (X509Certificate) chain.get(0);
    String token = bearerToken(headers);
    if (token == null) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription("missing bearer token"));
    }
    String user = tokenVerifier.apply(token);
    if (user == null) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription("invalid bearer token"));
    }
    List<String> names = clientNames(leaf);
    String client = names.stream().filter(allowedClients::contains).findFirst().orElse(null);
    if (client == null) {
      return refuse(
          call, Status.PERMISSION_DENIED.withDescription("client " + names + " is not allowed"));
    }
    // The call's context (deadline, cancellation) plus the principal, current while the rest of
    // the chain starts the call and whenever its listener runs.
    Context context = Context.current().withValue(Principal.KEY, new Principal(user, client));
    Context previous = context.attach();
    try {
      return new InContext<>(next.startCall(call, headers), context);
    } finally {
      context.detach(previous);
    }
  }

  /** The token of an {@code authorization: Bearer <token>} header, or {@code null}. */
  private static String bearerToken(Metadata headers) {
    String value = headers.get(AUTHORIZATION);
    if (value == null || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String token = value.substring(BEARER.length()).strip();
    return token.isEmpty() ? null : token;
  }

  /**
   * The names a certificate gives its holder: the subject, then the DNS and URI subject alternative
   * names.
   */
  static List<String> clientNames(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    names.add(cert.getSubjectX500Principal().getName());
    try {
      Collection<List<?>> alternatives = cert.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alternative : alternatives) {
          Object type = alternative.get(0);
          // 2: dNSName, 6: uniformResourceIdentifier (RFC 5280 GeneralName)
          if ((Integer.valueOf(2).equals(type) || Integer.valueOf(6).equals(type))
              && alternative.get(1) instanceof String name) {
            names.add(name);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // A malformed extension names nothing more than the subject.
    }
    return names;
  }

  private static <ReqT> ServerCallListener<ReqT> refuse(ServerCall<ReqT, ?> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCallListener<>() {};
  }

  /** Runs every callback of the call's listener with the authenticated context current. */
  private static final class InContext<ReqT> extends ForwardingServerCallListener<ReqT> {
    private final Context context;

    InContext(ServerCallListener<ReqT> delegate, Context context) {
      super(delegate);
      this.context = context;
    }

    @Override
    public void onMessage(ReqT message) {
      context.run(() -> super.onMessage(message));
    }

    @Override
    public void onHalfClose() {
      context.run(super::onHalfClose);
    }

    @Override
    public void onCancel() {
      context.run(super::onCancel);
    }

    @Override
    public void onComplete() {
      context.run(super::onComplete);
    }

    @Override
    public void onReady() {
      context.run(super::onReady);
    }
  }
}
