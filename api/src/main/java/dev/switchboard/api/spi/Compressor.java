package dev.switchboard.api.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A message compression algorithm, named as in {@code grpc-encoding} ({@code gzip}). Thread-safe.
 *
 * @since 0.1
 */
@ConsumerType
public interface Compressor {
  /** {@return the {@code grpc-encoding} name, such as {@code gzip}} */
  String name();

  /**
   * Wraps {@code out}; closing the result finishes the compressed data and closes {@code out}.
   *
   * @param out where the compressed bytes go
   * @return a stream to write the uncompressed message to
   * @throws IOException when the compressor cannot start
   */
  OutputStream compress(OutputStream out) throws IOException;

  /**
   * Wraps {@code in}; reading yields the decompressed bytes.
   *
   * @param in the compressed bytes of one message
   * @return a stream of the decompressed bytes
   * @throws IOException when the data is not in this format
   */
  InputStream decompress(InputStream in) throws IOException;
}
