/**
 * Channelz (gRFC A14) data: the registry of live channels, subchannels, servers and sockets that
 * the {@code channelz} service reads, and the counters the cores and transports keep for it.
 *
 * <p>Who does what: the channel implementation registers each channel and subchannel, the server
 * implementation each server, its listen sockets and its connections, the channel each of its
 * connections; transports keep a {@link dev.switchboard.api.channelz.SocketCounters} per connection
 * and expose it through {@link dev.switchboard.api.channelz.ChannelzSocket}. Readers (the channelz
 * service, consoles) only read {@link dev.switchboard.api.channelz.ChannelzRegistry}.
 *
 * <p>Counters cost nothing measurable on the call path: per call, a {@link
 * java.util.concurrent.atomic.LongAdder} increment where the call already starts and ends; per
 * message, a plain field increment on the connection's event loop. Readers see them racily: the
 * values are each exact once things settle, but a snapshot taken while calls run may mix moments.
 *
 * <p>The stats values are records: only the Switchboard core builds them, and it is built with this
 * package, so a component added later breaks no reader.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package dev.switchboard.api.channelz;
