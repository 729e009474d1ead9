package dev.switchboard.api.spi;

import dev.switchboard.api.Status;
import java.util.Objects;

/**
 * A parsed configuration or the error that prevented parsing.
 *
 * @since 0.1
 */
public final class ConfigOrError {
  private final Object config;
  private final Status error;

  private ConfigOrError(Object config, Status error) {
    this.config = config;
    this.error = error;
  }

  /**
   * {@return a successfully parsed config}
   *
   * @param config the config object; may be {@code null}
   */
  public static ConfigOrError fromConfig(Object config) {
    return new ConfigOrError(config, null);
  }

  /**
   * {@return a parse failure}
   *
   * @param error why, not OK; its description is shown to whoever supplied the config
   * @throws IllegalArgumentException when {@code error} is OK
   */
  public static ConfigOrError fromError(Status error) {
    if (Objects.requireNonNull(error, "error").isOk()) {
      throw new IllegalArgumentException("error must not be OK");
    }
    return new ConfigOrError(null, error);
  }

  /** {@return the config, or {@code null} when this is an error} */
  public Object config() {
    return config;
  }

  /** {@return the error, or {@code null} when parsing succeeded} */
  public Status error() {
    return error;
  }

  @Override
  public String toString() {
    return error != null
        ? "ConfigOrError{error=" + error + "}"
        : "ConfigOrError{config=" + config + "}";
  }
}
