/**
 * The {@code dns} resolver: {@link dev.switchboard.resolver.dns.DnsResolverProvider} and its
 * package-private resolver, Netty DNS client and shared event loop. Not exported: the resolver is
 * reached through {@link dev.switchboard.api.spi.ResolverRegistry} by scheme {@code dns}.
 */
package dev.switchboard.resolver.dns;
