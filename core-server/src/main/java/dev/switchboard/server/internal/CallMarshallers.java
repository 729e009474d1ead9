package dev.switchboard.server.internal;

import dev.switchboard.api.Marshaller;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.spi.Codec;
import dev.switchboard.api.spi.CodecRegistry;

/**
 * The marshallers one call uses: the method's explicit ones, else those of the codec named by the
 * request's content-subtype.
 *
 * @param request decodes request messages
 * @param response encodes response messages
 */
record CallMarshallers<ReqT, RespT>(Marshaller<ReqT> request, Marshaller<RespT> response) {

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
      return new CallMarshallers<>(request, response);
    }
    String codecName = contentSubtype == null || contentSubtype.isEmpty()
        ? MethodDescriptor.DEFAULT_CODEC : contentSubtype;
    Codec codec = codecs.codec(codecName);
    if (codec == null) {
      throw Status.INTERNAL
          .withDescription("no codec registered for content-subtype '" + codecName + "'")
          .asException();
    }
    try {
      return new CallMarshallers<>(
          request != null ? request : codec.marshaller(method.getRequestType()),
          response != null ? response : codec.marshaller(method.getResponseType()));
    } catch (IllegalArgumentException e) {
      throw Status.INTERNAL
          .withDescription("codec '" + codecName + "' cannot marshal the messages of "
              + method.getFullMethodName() + ": " + e.getMessage())
          .withCause(e)
          .asException();
    }
  }
}
