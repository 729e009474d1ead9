/**
 * The server component and its collaborators: configuration parsing ({@code ServerSettings}), the
 * whiteboard trackers ({@code Whiteboard}) and the binding of tracked services to a server ({@code
 * ServiceBinder}). Not exported.
 */
package dev.switchboard.osgi.server.internal;
