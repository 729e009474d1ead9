package dev.switchboard.compiler;

/**
 * A request this plugin cannot generate code for: a bad parameter, or proto names that do not make
 * distinct Java names. Its message goes into the response's {@code error} field, for protoc to
 * print next to the file name, so it names the proto element at fault.
 */
final class GenerationException extends Exception {
  private static final long serialVersionUID = 1L;

  GenerationException(String message) {
    super(message);
  }
}
