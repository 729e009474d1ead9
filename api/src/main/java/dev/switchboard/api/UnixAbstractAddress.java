package dev.switchboard.api;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A Unix domain socket in Linux's abstract namespace: a name with no file behind it, gone when the
 * last socket bound to it closes, open to every process in the network namespace (no file
 * permissions apply). The JDK's {@link java.net.UnixDomainSocketAddress} covers sockets with a path
 * in the file system; this covers the {@code unix-abstract:name} targets of gRPC naming and servers
 * listening on such a name ({@link ServerOptions.Builder#listen(SocketAddress)}).
 *
 * <p>The name is taken as given (no leading NUL: the transport adds it) and sent as UTF-8. Linux
 * only: the Netty transport needs its epoll transport for it ({@code
 * io.netty:netty-transport-native-epoll}) and fails with a message saying so without it. Immutable.
 *
 * @since 0.3
 */
public final class UnixAbstractAddress extends SocketAddress {
  /** The longest name in UTF-8 bytes: {@value}, Linux's {@code sun_path} less the leading NUL. */
  public static final int MAX_NAME_BYTES = 107;

  private static final long serialVersionUID = 1L;

  /** The name, without the leading NUL. */
  private final String name;

  private UnixAbstractAddress(String name) {
    this.name = name;
  }

  /**
   * {@return the abstract socket called {@code name}}
   *
   * @param name the name without the leading NUL; not empty, at most {@value #MAX_NAME_BYTES} bytes
   *     in UTF-8
   * @throws IllegalArgumentException when {@code name} is empty or too long
   */
  public static UnixAbstractAddress of(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty abstract socket name");
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "abstract socket name of "
              + bytes
              + " bytes is longer than "
              + MAX_NAME_BYTES
              + " bytes: "
              + name);
    }
    return new UnixAbstractAddress(name);
  }

  /** {@return the name, without the leading NUL} */
  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnixAbstractAddress other && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  /** {@return {@code unix-abstract:} and the name, the target that dials this address} */
  @Override
  public String toString() {
    return "unix-abstract:" + name;
  }
}
