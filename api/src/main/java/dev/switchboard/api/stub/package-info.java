/**
 * Stub-level helpers over the call API: {@link dev.switchboard.api.stub.StreamObserver}-based async
 * calls with flow control, blocking unary and server-streaming helpers, and server handlers for the
 * four method types. Generated stubs use this package.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package dev.switchboard.api.stub;
