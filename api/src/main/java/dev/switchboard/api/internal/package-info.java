/**
 * Helpers of the api's own classes (PEM reading for {@link dev.switchboard.api.TlsIdentity}). Not
 * exported, neither to other modules nor to other bundles: nothing here is API.
 */
package dev.switchboard.api.internal;
