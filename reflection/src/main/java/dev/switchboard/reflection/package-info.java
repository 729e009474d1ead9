/**
 * Server reflection: {@link dev.switchboard.reflection.ReflectionService} serves the schema of the
 * services a server binds, as the generated code's schema descriptors give it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package dev.switchboard.reflection;
