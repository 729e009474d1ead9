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
  /** The {@code grpc-encoding} name. */
  String name();

  /** Wraps {@code out}; closing the result finishes the compressed data and closes {@code out}. */
  OutputStream compress(OutputStream out) throws IOException;

  /** Wraps {@code in}; reading yields the decompressed bytes. */
  InputStream decompress(InputStream in) throws IOException;
}
