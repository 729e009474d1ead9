/**
 * The transport plug point: a {@link dev.switchboard.api.transport.TransportProvider} supplies
 * client transports (one connection each) and server transports (one listening endpoint each).
 * Transports frame gRPC messages, enforce message size limits, apply compression and map HTTP/2 to
 * gRPC status; the core above them owns call semantics.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package dev.switchboard.api.transport;
