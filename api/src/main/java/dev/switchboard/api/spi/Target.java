package dev.switchboard.api.spi;

import java.util.Objects;

/**
 * A parsed channel target {@code scheme://authority/endpoint} (grpc-go's {@code resolver.Target}).
 *
 * @param scheme the scheme, lower case ({@code dns}, {@code passthrough}, ...)
 * @param authority the authority part, possibly empty (for DNS: the name server)
 * @param endpoint the endpoint: everything after the authority's slash
 * @param original the string the user gave
 * @since 0.1
 */
public record Target(String scheme, String authority, String endpoint, String original) {
  /**
   * Checks the components.
   *
   * @param scheme the scheme, not null
   * @param authority the authority part, not null, possibly empty
   * @param endpoint the endpoint, not null
   * @param original the string the user gave, not null
   */
  public Target {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(original, "original");
  }

  @Override
  public String toString() {
    return scheme + "://" + authority + "/" + endpoint;
  }
}
