/**
 * The server core's private parts; not exported.
 *
 * <p>Threads: the transport calls {@link dev.switchboard.server.internal.ServerImpl}'s transport
 * listener and each call's {@link dev.switchboard.server.internal.CallStreamListener} on its own
 * threads; those only record state and post work. Every application callback of one call runs in
 * that call's {@link dev.switchboard.api.SerializingExecutor} on the server executor (on the
 * transport thread if that executor rejects it). Deadline timers run on a scheduled executor and
 * only cancel streams.
 */
package dev.switchboard.server.internal;
