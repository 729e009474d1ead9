/**
 * The channel's private implementation; not exported. ARCHITECTURE.md at the repository root walks
 * a call and a target through it and lists the threads and locks.
 *
 * <p>Shape: {@link dev.switchboard.clientconn.internal.ClientConnImpl} is the channel and owns its
 * parts, one file each: {@code ResolverWrapper}, {@code BalancerWrapper} (with {@code
 * GracefulSwitch} and one {@code PolicyConn} per balancer), {@code SubConnPool} (with {@code
 * SubConnImpl}s), {@code PickerWrapper} and {@code ChannelCalls}. They point forward (resolver →
 * balancer → SubConns → picker) and reach back to the channel only through its {@code
 * ChannelContext}. A call is a {@code ClientStreamImpl} over a {@code RetriableStream} whose
 * attempts the picker wrapper creates.
 *
 * <p>Threading: each channel has one {@link dev.switchboard.api.SynchronizationContext} (the
 * serializer). Resolver and balancer callbacks, {@code SubConn} state machines, channel
 * connectivity state and picker publication run in it; fields owned by it say "only touched in the
 * serializer". Picks run on the calling thread against a volatile picker snapshot, lock-free. Call
 * listener callbacks run on the call executor, serialized per call by {@link
 * dev.switchboard.api.SerializingExecutor}. Host-name lookups run on a blocking executor, never in
 * the serializer. Timers only hop into the serializer (or, for call deadlines, cancel a stream,
 * which is thread-safe).
 *
 * <p>Between a pick and its stream: a picker enters the READY transport's {@code StreamGate}
 * (lock-free) before creating and starting the stream, so the channel's graceful shutdown of that
 * transport waits for it; an attempt a transport refuses unprocessed is retried transparently by
 * {@code RetriableStream} on the call executor. Locks, both leaves: {@code RetriableStream.lock}
 * (held while passing an operation to the attempt's stream, which may take {@code
 * DelayedStream.lock}; never while picking), {@code DelayedStream.lock} (only while an attempt
 * waits for a picker). Neither is held while entering the serializer.
 *
 * <p>Providers are leased from their registries ({@code ProviderRegistry.Lease}) for as long as
 * something made from them is in use: resolver until closed, balancer until retired (after a
 * graceful switch away from it; at once when its provider left), transport factory until its last
 * connection terminated, codec per call. A provider that leaves is let go of as fast as this
 * allows, because its OSGi unregistration waits for it (ARCHITECTURE.md, "Providers that leave").
 */
package dev.switchboard.clientconn.internal;
