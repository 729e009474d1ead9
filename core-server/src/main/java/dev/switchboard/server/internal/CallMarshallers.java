package dev.switchboard.server.internal;

import dev.switchboard.api.Marshaller;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.spi.Codec;
import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.ProviderRegistry.Lease;

/**
 * The marshallers one call uses: the method's explicit ones, else those of the codec named by the
 * request's content-subtype. The codec is leased for the call, as the client does (see {@link
 * dev.switchboard.api.spi.ProviderRegistry}): a codec bundle that leaves is released only once the
 * calls using it have ended.
 *
 * @param request decodes request messages
 * @param response encodes response messages
 * @param codecLease the codec's lease, to close when the call has ended; {@code null} when the
 *     method's own marshallers are used
 */
record CallMarshallers<ReqT, RespT>(
    Marshaller<ReqT> request, Marshaller<RespT> response, Lease<CodecProvider> codecLease) {

  /**
   * Picks the marshallers for {@code method} called with {@code contentSubtype} ({@code ""} means
   * {@value MethodDescriptor#DEFAULT_CODEC}).
   *
   * @throws StatusException INTERNAL, naming the codec, when it is not registered or cannot marshal
   *     the method's message classes
   */
  static <ReqT, RespT> CallMarshallers<ReqT, RespT> resolve(
      MethodDescriptor<ReqT, RespT> method, String contentSubtype, CodecRegistry codecs)
      throws StatusException {
    Marshaller<ReqT> request = method.getRequestMarshaller();
    Marshaller<RespT> response = method.getResponseMarshaller();
    if (request != null && response != null) {
      return new CallMarshallers<>(request, response, null);
    }
    String codecName =
        contentSubtype == null || contentSubtype.isEmpty()
            ? MethodDescriptor.DEFAULT_CODEC
            : contentSubtype;
    Lease<CodecProvider> lease = codecs.acquire(codecName);
    if (lease == null) {
      throw Status.INTERNAL
          .withDescription("no codec registered for content-subtype '" + codecName + "'")
          .asException();
    }
    try {
      Codec codec = lease.provider().codec();
      return new CallMarshallers<>(
          request != null ? request : codec.marshaller(method.getRequestType()),
          response != null ? response : codec.marshaller(method.getResponseType()),
          lease);
    } catch (IllegalArgumentException e) {
      lease.close();
      throw Status.INTERNAL
          .withDescription(
              "codec '"
                  + codecName
                  + "' cannot marshal the messages of "
                  + method.getFullMethodName()
                  + ": "
                  + e.getMessage())
          .withCause(e)
          .asException();
    } catch (RuntimeException e) {
      lease.close();
      throw Status.INTERNAL
          .withDescription("codec '" + codecName + "' failed: " + e)
          .withCause(e)
          .asException();
    }
  }
}
