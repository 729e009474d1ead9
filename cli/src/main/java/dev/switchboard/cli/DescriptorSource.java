package dev.switchboard.cli;

import com.google.protobuf.Descriptors.GenericDescriptor;
import java.util.List;

/** Where descriptors come from: the server's reflection service, or descriptor files. */
interface DescriptorSource {
  /** {@return the full names of the services, in the order the source gives them} */
  List<String> listServices() throws CliException;

  /**
   * {@return the descriptor of a service, method, message, field, enum or extension}
   *
   * @param fullName the symbol's full name, without leading dot
   * @throws CliException when the source does not know it (exit code 1), or an RPC fails
   */
  GenericDescriptor findSymbol(String fullName) throws CliException;
}
