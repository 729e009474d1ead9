/**
 * Creating servers: {@link dev.switchboard.server.Servers}. Everything else of the server core
 * (dispatch, the {@code ServerCall} implementation, deadlines, shutdown) is private to the module.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package dev.switchboard.server;
