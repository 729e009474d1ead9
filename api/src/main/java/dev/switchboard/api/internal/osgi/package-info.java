/**
 * The OSGi side of the registries: a Declarative Services component that feeds the default
 * registries from the service registry. Not exported, neither to other modules nor to other
 * bundles; only SCR loads it, and only inside a framework. Nothing else in the api refers to it, so
 * the api needs no OSGi class on the module path or the class path.
 */
package dev.switchboard.api.internal.osgi;
