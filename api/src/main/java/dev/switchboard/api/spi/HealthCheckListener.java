package dev.switchboard.api.spi;

import dev.switchboard.api.Status;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Receives what a {@link HealthCheckProvider}'s watch learns about one backend; implemented by the
 * channel. Methods may be called from any thread (a transport's event loop typically), one at a
 * time and in order for one watch, and must not block: the channel posts them into its serializer.
 *
 * @since 0.3
 */
@ProviderType
public interface HealthCheckListener {
  /**
   * The backend reported a status for the watched service.
   *
   * @param serving whether the backend serves the service ({@code SERVING}); false for {@code
   *     NOT_SERVING}, {@code SERVICE_UNKNOWN} and anything else
   * @param description the status the backend sent, such as {@code NOT_SERVING}, for the channel's
   *     error messages
   */
  void statusReceived(boolean serving, String description);

  /**
   * The watch's stream ended. {@code UNIMPLEMENTED} means the backend has no health service: the
   * channel then treats it as healthy and does not ask again on this connection; any other status
   * (OK included) makes the channel watch again after its connection backoff.
   *
   * @param status why the stream ended
   */
  void watchEnded(Status status);
}
