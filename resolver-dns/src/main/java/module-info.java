/**
 * The {@code dns} name resolver: {@code dns:///host[:port]} and {@code
 * dns://nameserver[:port]/host[:port]} targets, looked up asynchronously (A and AAAA) with Netty's
 * DNS client. Exports nothing; found through the resolver registry by its scheme.
 *
 * <p>Files and system properties read: {@code /etc/resolv.conf} (name servers, search domains,
 * {@code ndots}) and {@code /etc/hosts}, through Netty; {@code io.netty.*} properties (Netty's own,
 * e.g. {@code io.netty.resolver.dns.*}).
 */
module dev.switchboard.resolver.dns {
  requires dev.switchboard.api;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.resolver;
  requires io.netty.resolver.dns;
  requires io.netty.codec.dns;
  // Build-time only: Declarative Services annotations, turned into OSGI-INF XML by bnd.
  requires static org.osgi.service.component.annotations;

  provides dev.switchboard.api.spi.ResolverProvider with
      dev.switchboard.resolver.dns.DnsResolverProvider;
}
