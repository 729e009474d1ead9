package dev.switchboard.clientconn.internal;

import dev.switchboard.api.Marshaller;
import dev.switchboard.api.MethodDescriptor;
import dev.switchboard.api.Status;
import dev.switchboard.api.StatusException;
import dev.switchboard.api.spi.Codec;
import dev.switchboard.api.spi.CodecRegistry;

/**
 * Finds a call's marshallers: the method descriptor's explicit ones, else the codec registered
 * under the method's codec name for the message classes. Failures are INTERNAL statuses naming
 * the missing codec ("no codec 'proto' deployed (is its bundle deployed?)").
 */
final class Marshallers {
  private Marshallers() {}

  static <ReqT> Marshaller<ReqT> request(MethodDescriptor<ReqT, ?> method, CodecRegistry codecs)
      throws StatusException {
    return resolve(method.getRequestMarshaller(), method.getRequestType(), method, codecs);
  }

  static <RespT> Marshaller<RespT> response(MethodDescriptor<?, RespT> method,
      CodecRegistry codecs) throws StatusException {
    return resolve(method.getResponseMarshaller(), method.getResponseType(), method, codecs);
  }

  private static <T> Marshaller<T> resolve(Marshaller<T> explicit, Class<T> type,
      MethodDescriptor<?, ?> method, CodecRegistry codecs) throws StatusException {
    if (explicit != null) {
      return explicit;
    }
    String name = method.getCodecName();
    Codec codec;
    try {
      codec = codecs.codec(name);
    } catch (RuntimeException e) {
      throw Status.INTERNAL.withDescription("codec '" + name + "' failed: " + e).withCause(e)
          .asException();
    }
    if (codec == null) {
      throw Status.INTERNAL.withDescription("no codec '" + name + "' deployed (is its bundle "
          + "deployed?), needed by " + method.getFullMethodName()).asException();
    }
    try {
      if (!codec.supports(type)) {
        throw Status.INTERNAL.withDescription("codec '" + name + "' cannot marshal "
            + type.getName() + " for " + method.getFullMethodName()).asException();
      }
      Marshaller<T> marshaller = codec.marshaller(type);
      if (marshaller == null) {
        throw Status.INTERNAL.withDescription("codec '" + name + "' has no marshaller for "
            + type.getName()).asException();
      }
      return marshaller;
    } catch (RuntimeException e) {
      throw Status.INTERNAL.withDescription("codec '" + name + "' failed for " + type.getName()
          + ": " + e).withCause(e).asException();
    }
  }
}
