/** Creating servers: {@link dev.switchboard.server.Servers}. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package dev.switchboard.server;
