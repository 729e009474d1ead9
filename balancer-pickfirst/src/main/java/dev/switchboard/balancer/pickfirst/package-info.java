/**
 * The {@code pick_first} balancing policy: one {@link dev.switchboard.api.spi.SubConn} over the
 * whole resolved address list, used for every call. Not exported: the policy is reached through
 * {@link dev.switchboard.api.spi.BalancerRegistry} by its name.
 */
package dev.switchboard.balancer.pickfirst;
