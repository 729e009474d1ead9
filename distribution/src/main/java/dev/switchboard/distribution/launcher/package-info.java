/**
 * The demo launcher: runs outside any framework (the {@code Main-Class} of {@code
 * switchboard-demo.jar}), boots the embedded framework and installs the embedded bundles. Uses only
 * the standard {@code org.osgi.framework.launch} API.
 */
package dev.switchboard.distribution.launcher;
