/** Test fixtures: fake time, leak detection and captured logs. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package dev.switchboard.testing;
