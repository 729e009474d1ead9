package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Marshaller;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.spi.Codec;
import dev.switchboard.api.spi.CodecProvider;
import dev.switchboard.api.spi.CodecRegistry;
import dev.switchboard.api.spi.ProviderRegistry.Lease;

/**
 * Finds a call's marshallers: the method descriptor's explicit ones, else the codec registered
 * under the method's codec name for the message classes. A codec is leased for the call (see {@link
 * dev.switchboard.api.spi.ProviderRegistry}), so a codec bundle leaving is released only once the
 * calls using it have ended. Failures are INTERNAL statuses naming the missing codec and how to
 * deploy it where the registry is fed from ("no codec 'proto' deployed, needed by ...: deploy ...",
 * see {@link CodecRegistry#howToDeploy}).
 */
final class Marshallers {
  private Marshallers() {}

  /**
   * A call's marshallers, and the codec lease to close when the call ends ({@code null} when the
   * method's own marshallers were used).
   */
  record ForCall<ReqT, RespT>(
      Marshaller<ReqT> request, Marshaller<RespT> response, Lease<CodecProvider> lease) {}

  static <ReqT, RespT> ForCall<ReqT, RespT> forCall(
      MethodDescriptor<ReqT, RespT> method, CodecRegistry codecs) throws StatusException {
    Marshaller<ReqT> request = method.getRequestMarshaller();
    Marshaller<RespT> response = method.getResponseMarshaller();
    if (request != null && response != null) {
      return new ForCall<>(request, response, null);
    }
    String name = method.getCodecName();
    Lease<CodecProvider> lease = codecs.acquire(name);
    if (lease == null) {
      throw Status.INTERNAL
          .withDescription(
              "no codec '"
                  + name
                  + "' deployed, needed by "
                  + method.getFullMethodName()
                  + ": "
                  + codecs.howToDeploy(name))
          .asException();
    }
    try {
      Codec codec;
      try {
        codec = lease.provider().codec();
      } catch (RuntimeException e) {
        throw Status.INTERNAL
            .withDescription("codec '" + name + "' failed: " + e)
            .withCause(e)
            .asException();
      }
      if (codec == null) {
        throw Status.INTERNAL
            .withDescription(
                "codec provider '"
                    + name
                    + "' from "
                    + lease.registration().origin()
                    + " returned no codec")
            .asException();
      }
      if (request == null) {
        request = resolve(codec, method.getRequestType(), method, name);
      }
      if (response == null) {
        response = resolve(codec, method.getResponseType(), method, name);
      }
      return new ForCall<>(request, response, lease);
    } catch (StatusException | RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  private static <T> Marshaller<T> resolve(
      Codec codec, Class<T> type, MethodDescriptor<?, ?> method, String name)
      throws StatusException {
    try {
      if (!codec.supports(type)) {
        throw Status.INTERNAL
            .withDescription(
                "codec '"
                    + name
                    + "' cannot marshal "
                    + type.getName()
                    + " for "
                    + method.getFullMethodName()
                    + whyNot(codec, type))
            .asException();
      }
      Marshaller<T> marshaller = codec.marshaller(type);
      if (marshaller == null) {
        throw Status.INTERNAL
            .withDescription("codec '" + name + "' has no marshaller for " + type.getName())
            .asException();
      }
      return marshaller;
    } catch (RuntimeException e) {
      throw Status.INTERNAL
          .withDescription("codec '" + name + "' failed for " + type.getName() + ": " + e)
          .withCause(e)
          .asException();
    }
  }

  /**
   * The codec's own reason for not supporting {@code type}: the message of the {@link
   * IllegalArgumentException} its {@code marshaller} throws (e.g. the message's package not
   * exported to the codec's module), or nothing when it gives none.
   */
  private static String whyNot(Codec codec, Class<?> type) {
    try {
      codec.marshaller(type);
      return "";
    } catch (RuntimeException e) {
      return e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
    }
  }
}
