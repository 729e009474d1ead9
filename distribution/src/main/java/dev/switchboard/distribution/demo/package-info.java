/**
 * The demo, run inside the framework by a Declarative Services component that only activates under
 * the demo launcher: backends, one channel, continuous calls, and the round_robin bundle stopped
 * and started underneath.
 */
package dev.switchboard.distribution.demo;
