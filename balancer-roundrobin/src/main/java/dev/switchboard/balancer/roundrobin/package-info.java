/**
 * The {@code round_robin} balancing policy: one {@link dev.switchboard.api.spi.SubConn} per
 * resolved address, calls spread over the READY ones in turn. Not exported: the policy is reached
 * through {@link dev.switchboard.api.spi.BalancerRegistry} by its name.
 */
package dev.switchboard.balancer.roundrobin;
