package dev.switchboard.cli;

import dev.switchboard.api.Status;
import java.util.Locale;

/**
 * Ends a command: its message goes to standard error and the process exits with {@link #exitCode}
 * (see {@link Main} for the codes).
 */
final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The exit code of an RPC that ended with status code {@code c} is {@code 64 + c}. */
  static final int RPC_STATUS_OFFSET = 64;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** A failure of the tool itself, not of an RPC: exit code 1. */
  static CliException failed(String message) {
    return new CliException(Main.EXIT_FAILED, "ERROR: " + message);
  }

  /** An RPC that ended with {@code status}: {@code ERROR: code = NotFound desc = ...}. */
  static CliException of(Status status) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    return new CliException(
        RPC_STATUS_OFFSET + status.getCode().value(),
        "ERROR: code = " + codeName(status.getCode()) + " desc = " + description);
  }

  int exitCode() {
    return exitCode;
  }

  /** grpc-go's spelling of a code: {@code DEADLINE_EXCEEDED} is {@code DeadlineExceeded}. */
  static String codeName(Status.Code code) {
    if (code == Status.Code.OK) {
      return "OK";
    }
    StringBuilder name = new StringBuilder();
    for (String word : code.name().split("_")) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return name.toString();
  }
}
