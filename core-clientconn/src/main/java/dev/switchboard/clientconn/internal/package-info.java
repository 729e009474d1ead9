/**
 * The channel's private implementation; not exported.
 *
 * <p>Threading, in one place: each channel has one {@link dev.switchboard.api.SynchronizationContext}
 * (the serializer). Resolver and balancer callbacks, {@code SubConn} state machines, channel
 * connectivity state and picker publication run in it; fields owned by it say "only touched in
 * the serializer". Picks run on the calling thread against a volatile picker snapshot, lock-free.
 * Call listener callbacks run on the call executor, serialized per call by {@link
 * dev.switchboard.api.SerializingExecutor}. Host-name lookups run on a blocking
 * executor, never in the serializer. Timers only hop into the serializer (or, for call deadlines,
 * cancel a stream, which is thread-safe).
 *
 * <p>Between a pick and its stream: a picker enters the READY transport's {@link
 * dev.switchboard.clientconn.internal.StreamGate} (lock-free) before creating and starting the
 * stream, so the channel's graceful shutdown of that transport waits for it; an attempt a
 * transport refuses unprocessed is retried transparently by {@link
 * dev.switchboard.clientconn.internal.RetriableStream} on the call executor. Locks, all leaves
 * except as noted: {@code RetriableStream.lock} (held while passing an operation to the
 * attempt's stream, which may take {@code DelayedStream.lock}; never while picking), {@code
 * DelayedStream.lock}. Neither is held while entering the serializer.
 *
 * <p>Providers are leased from their registries ({@code ProviderRegistry.Lease}) for as long as
 * something made from them is in use: resolver until closed, balancer until retired (after a
 * graceful switch away from it), transport factory until its last connection terminated, codec
 * per call.
 */
package dev.switchboard.clientconn.internal;
