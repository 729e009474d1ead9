/**
 * The {@code pick_first} balancing policy. Exports nothing; found through the balancer registry.
 */
module dev.switchboard.balancer.pickfirst {
  requires dev.switchboard.api;
  // Build-time only: Declarative Services annotations, turned into OSGI-INF XML by bnd.
  requires static org.osgi.service.component.annotations;

  provides dev.switchboard.api.spi.BalancerProvider with
      dev.switchboard.balancer.pickfirst.PickFirstBalancerProvider;
}
