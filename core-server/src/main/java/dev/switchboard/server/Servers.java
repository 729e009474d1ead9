package dev.switchboard.server;

import dev.switchboard.api.Server;
import dev.switchboard.api.ServerOptions;
import dev.switchboard.server.internal.ServerImpl;

/**
 * Creates {@link Server}s. Stateless and thread-safe.
 *
 * <p>The server takes its transport from the {@link
 * dev.switchboard.api.transport.TransportRegistry} named by {@link ServerOptions#transportName()}
 * when it {@link Server#start() starts}; codecs and compressors come from the options' registries,
 * or the default ones. Handler callbacks run on {@link ServerOptions#executor()}, or on a shared
 * pool of daemon threads named {@code switchboard-server-N}.
 *
 * @since 0.1
 */
public final class Servers {
  private Servers() {}

  /**
   * A new, unstarted server.
   *
   * @param options addresses, services and settings
   * @return the server; {@link Server#start()} it, and shut it down when done
   * @throws IllegalArgumentException when two services have the same name
   */
  public static Server newServer(ServerOptions options) {
    return new ServerImpl(options);
  }
}
