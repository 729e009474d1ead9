/**
 * Switchboard's user-facing API: {@link dev.switchboard.api.Status}, {@link
 * dev.switchboard.api.Metadata}, {@link dev.switchboard.api.Deadline}, {@link
 * dev.switchboard.api.CallOptions}, {@link dev.switchboard.api.MethodDescriptor}, the client call
 * model ({@link dev.switchboard.api.ClientConn}, {@link dev.switchboard.api.ClientStream}) and the
 * server call model ({@link dev.switchboard.api.ServerCall}, {@link
 * dev.switchboard.api.ServiceDefinition}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package dev.switchboard.api;
