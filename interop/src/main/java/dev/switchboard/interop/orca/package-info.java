/**
 * ORCA load report messages and the {@code xds.service.orca.v3.OpenRcaService} stubs, generated at
 * build time from Switchboard's declarations in {@code src/main/protobuf/xds} (wire-compatible with
 * the xDS definitions). Exported so that the {@code proto} codec and protobuf's own reflection can
 * reach the generated classes on the module path.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package dev.switchboard.interop.orca;
