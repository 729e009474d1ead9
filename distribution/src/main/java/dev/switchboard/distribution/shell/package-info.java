/**
 * The {@code switchboard:providers} and {@code switchboard:channels} Gogo commands, as a plain
 * Declarative Services component (no Gogo types), and the text reports they print.
 */
package dev.switchboard.distribution.shell;
