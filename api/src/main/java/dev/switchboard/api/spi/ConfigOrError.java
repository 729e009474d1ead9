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

  public static ConfigOrError fromConfig(Object config) {
    return new ConfigOrError(config, null);
  }

  public static ConfigOrError fromError(Status error) {
    if (Objects.requireNonNull(error, "error").isOk()) {
      throw new IllegalArgumentException("error must not be OK");
    }
    return new ConfigOrError(null, error);
  }

  /** The config, or {@code null} when this is an error. */
  public Object config() {
    return config;
  }

  /** The error, or {@code null}. */
  public Status error() {
    return error;
  }

  @Override
  public String toString() {
    return error != null ? "ConfigOrError{error=" + error + "}" : "ConfigOrError{config=" + config + "}";
  }
}
