/** The channelz service: {@link dev.switchboard.channelz.ChannelzService}. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package dev.switchboard.channelz;
