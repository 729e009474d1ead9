/**
 * The names of the OSGi gRPC whiteboard and of server configurations: {@link
 * dev.switchboard.osgi.server.WhiteboardConstants}. The bundle's component does the work; it has no
 * other public type.
 *
 * @since 0.3
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package dev.switchboard.osgi.server;
