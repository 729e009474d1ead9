/**
 * Channels from OSGi configuration: the names of the configuration properties ({@link
 * dev.switchboard.osgi.channel.ChannelProperties}). The component that reads them is internal.
 *
 * @since 0.3
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package dev.switchboard.osgi.channel;
