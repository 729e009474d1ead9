package dev.switchboard.api.telemetry;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.MethodDescriptor;

/**
 * What a client call tracer is told when the call starts.
 *
 * @param method the method called
 * @param target the channel's target as the application gave it (for {@code grpc.target})
 * @param callOptions the call's options (deadline, compression, authority...)
 * @since 0.3
 */
public record ClientCallInfo(
    MethodDescriptor<?, ?> method, String target, CallOptions callOptions) {}
