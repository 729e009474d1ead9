package dev.switchboard.api.spi;

import dev.switchboard.api.CallOptions;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.MethodDescriptor;

/**
 * What a picker knows about a call.
 *
 * @param method the method
 * @param headers the call's headers (read only)
 * @param callOptions the call's options
 * @since 0.1
 */
public record PickInfo(MethodDescriptor<?, ?> method, Metadata headers, CallOptions callOptions) {}
