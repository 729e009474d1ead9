/**
 * Plug points: balancers, resolvers, codecs and compressors, each as {@code Xxx} + {@code
 * XxxProvider} + {@code XxxRegistry}, and client-side health checks ({@link
 * dev.switchboard.api.spi.HealthCheckProvider}, {@link
 * dev.switchboard.api.spi.HealthCheckRegistry}). Types marked {@code @ConsumerType} are implemented
 * by plugins; types marked {@code @ProviderType} only by the Switchboard core.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package dev.switchboard.api.spi;
