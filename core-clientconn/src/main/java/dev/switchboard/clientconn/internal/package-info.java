/**
 * The channel's private implementation; not exported.
 *
 * <p>Threading, in one place: each channel has one {@link dev.switchboard.api.SynchronizationContext}
 * (the serializer). Resolver and balancer callbacks, {@code SubConn} state machines, channel
 * connectivity state and picker publication run in it; fields owned by it say "only touched in
 * the serializer". Picks run on the calling thread against a volatile picker snapshot, lock-free.
 * Call listener callbacks run on the call executor, serialized per call by {@link
 * dev.switchboard.clientconn.internal.SerializingExecutor}. Host-name lookups run on a blocking
 * executor, never in the serializer. Timers only hop into the serializer (or, for call deadlines,
 * cancel a stream, which is thread-safe).
 */
package dev.switchboard.clientconn.internal;
