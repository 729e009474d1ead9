/**
 * The {@code switchboard:providers} and {@code switchboard:channels} Gogo commands, as a plain
 * Declarative Services component (no Gogo types), and the text reports they print. Exported for the
 * {@link dev.switchboard.shell.SwitchboardCommands#CHANNEL_PROPERTY} name and for {@link
 * dev.switchboard.shell.Reports}, which an application may print itself.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package dev.switchboard.shell;
