package dev.switchboard.clientconn.internal;

import dev.switchboard.api.spi.Target;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Parses a dial target into a {@link Target}, after grpc-go's rules with one deliberate difference
 * (an unknown {@code scheme://} is an error, not a passthrough address):
 *
 * <ul>
 *   <li>{@code scheme://authority/endpoint}: any syntactically valid scheme is kept, deployed or
 *       not; the channel reports "no resolver for scheme ..." when none is. {@code dns:///host:443}
 *       has an empty authority and endpoint {@code host:443}.
 *   <li>{@code scheme:endpoint} (no {@code //}): kept when the scheme has a resolver, or when the
 *       rest cannot be a port ({@code unix:/tmp/s} keeps scheme {@code unix}); but {@code
 *       localhost:50051} is a host and port.
 *   <li>anything else ({@code 127.0.0.1:8080}, {@code [::1]:443}, {@code localhost}): the whole
 *       string is the endpoint of the default scheme: {@value #DNS_SCHEME} when a resolver for it
 *       is deployed, else {@value #FALLBACK_SCHEME} (grpc-go's NewClient and grpc-java use {@code
 *       dns}; without the DNS bundle, passthrough keeps host:port targets working).
 * </ul>
 *
 * <p>Schemes are lower-cased; the endpoint is everything after the authority's slash (or after
 * {@code scheme:} in the opaque form), verbatim. Stateless.
 */
final class TargetParser {
  /** The default scheme when a {@code dns} resolver is deployed, as in grpc-go's NewClient. */
  static final String DNS_SCHEME = "dns";

  /** The default scheme otherwise: the built-in {@code passthrough}. */
  static final String FALLBACK_SCHEME = "passthrough";

  private TargetParser() {}

  /**
   * As {@link #parse(String, Predicate, String)} with the default scheme chosen by {@link
   * #defaultScheme}.
   */
  static Target parse(String target, Predicate<String> hasResolver) {
    return parse(target, hasResolver, defaultScheme(hasResolver));
  }

  /** {@value #DNS_SCHEME} when a resolver is deployed for it, else {@value #FALLBACK_SCHEME}. */
  static String defaultScheme(Predicate<String> hasResolver) {
    return hasResolver.test(DNS_SCHEME) ? DNS_SCHEME : FALLBACK_SCHEME;
  }

  /**
   * @param target what the user dialed
   * @param hasResolver whether a resolver is deployed for a (lower-case) scheme
   * @param defaultScheme the scheme of a target that names none
   * @throws IllegalArgumentException for an empty target
   */
  static Target parse(String target, Predicate<String> hasResolver, String defaultScheme) {
    Objects.requireNonNull(target, "target");
    if (target.isBlank()) {
      throw new IllegalArgumentException("empty target");
    }
    int colon = schemeLength(target);
    if (colon > 0) {
      String scheme = target.substring(0, colon).toLowerCase(Locale.ROOT);
      String rest = target.substring(colon + 1);
      if (rest.startsWith("//")) {
        String afterSlashes = rest.substring(2);
        int slash = afterSlashes.indexOf('/');
        String authority = slash < 0 ? afterSlashes : afterSlashes.substring(0, slash);
        String endpoint = slash < 0 ? "" : afterSlashes.substring(slash + 1);
        return new Target(scheme, authority, endpoint, target);
      }
      if (hasResolver.test(scheme) || !isPort(rest)) {
        return new Target(scheme, "", rest, target);
      }
    }
    return new Target(defaultScheme, "", target, target);
  }

  /** Length of a leading RFC 3986 scheme followed by ':', or -1. */
  private static int schemeLength(String s) {
    if (s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
      return -1;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return i;
      }
      if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
        return -1;
      }
    }
    return -1;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** True for what can follow {@code host:} as a port: digits, or nothing. */
  private static boolean isPort(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
