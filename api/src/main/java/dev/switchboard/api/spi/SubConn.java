package dev.switchboard.api.spi;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One logical connection, over an ordered list of addresses (grpc-go's {@code addrConn}): it
 * connects to the first address that answers, reconnects with exponential backoff after failures,
 * GOAWAY or loss, and reports its {@link SubConnState}. Implemented by the core only; call its
 * methods in the channel's synchronization context.
 *
 * @since 0.1
 */
@ProviderType
public interface SubConn {
  /** Starts connecting if IDLE; otherwise nothing. */
  void connect();

  /** Closes the connection for good; the state becomes SHUTDOWN. */
  void shutdown();

  /**
   * Replaces the address list; reconnects if the current address is no longer listed.
   *
   * @param addresses the new addresses, not empty
   */
  void updateAddresses(List<Address> addresses);

  /** {@return the current address list, immutable} */
  List<Address> addresses();
}
