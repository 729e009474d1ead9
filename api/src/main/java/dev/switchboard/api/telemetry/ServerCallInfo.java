package dev.switchboard.api.telemetry;

import dev.switchboard.api.Metadata;

/**
 * What a server call tracer is told when a call arrives, before its handler starts.
 *
 * @param fullMethodName the {@code :path} without its leading slash, {@code package.Service/Method}
 * @param registeredMethod whether the server has a handler bound to that method (false for calls
 *     answered UNIMPLEMENTED; metrics report those under a generic method name to bound their
 *     cardinality)
 * @param headers the request headers as received (read only: the propagated trace context is there)
 * @param authority the request's {@code :authority}, or {@code null}
 * @since 0.3
 */
public record ServerCallInfo(
    String fullMethodName, boolean registeredMethod, Metadata headers, String authority) {}
