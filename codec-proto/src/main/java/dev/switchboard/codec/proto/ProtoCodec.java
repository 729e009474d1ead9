package dev.switchboard.codec.proto;

import com.google.protobuf.MessageLite;
import dev.switchboard.api.Marshaller;
import dev.switchboard.api.spi.Codec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Objects;

/**
 * The {@code proto} codec: marshals protobuf-java messages, full or lite, of any generated class. A
 * class is supported when it implements {@link MessageLite} and has a public static no-arg {@code
 * getDefaultInstance()}, as every generated message class does; its parser comes from that
 * instance's {@code getParserForType()}.
 *
 * <p>Marshallers are built once per class and cached in a {@link ClassValue}, so asking for one on
 * every call is cheap. Thread-safe.
 *
 * <p>Under JPMS the message's package must be exported (at least to this module) so that {@code
 * getDefaultInstance()} can be called; otherwise the class is reported as unsupported, with the
 * reason in the {@link IllegalArgumentException} from {@link #marshaller}.
 */
final class ProtoCodec implements Codec {
  static final String NAME = "proto";
  static final ProtoCodec INSTANCE = new ProtoCodec();

  /** A class's marshaller, or why there is none. */
  private record Lookup(ProtoMarshaller<?> marshaller, String whyUnsupported) {}

  private static final ClassValue<Lookup> LOOKUPS =
      new ClassValue<>() {
        @Override
        protected Lookup computeValue(Class<?> type) {
          return lookup(type);
        }
      };

  private ProtoCodec() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean supports(Class<?> type) {
    return type != null && LOOKUPS.get(type).marshaller() != null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Marshaller<T> marshaller(Class<T> type) {
    Objects.requireNonNull(type, "type");
    Lookup lookup = LOOKUPS.get(type);
    if (lookup.marshaller() == null) {
      throw new IllegalArgumentException(
          "the proto codec cannot marshal " + type.getName() + ": " + lookup.whyUnsupported());
    }
    return (Marshaller<T>) lookup.marshaller();
  }

  @Override
  public String toString() {
    return "ProtoCodec";
  }

  private static Lookup lookup(Class<?> type) {
    if (!MessageLite.class.isAssignableFrom(type)) {
      return unsupported("not a com.google.protobuf.MessageLite");
    }
    Method getDefaultInstance;
    try {
      getDefaultInstance = type.getMethod("getDefaultInstance");
    } catch (NoSuchMethodException e) {
      return unsupported("no public static getDefaultInstance() (not a generated message class?)");
    }
    if (!Modifier.isStatic(getDefaultInstance.getModifiers())) {
      return unsupported("getDefaultInstance() is not static");
    }
    Object defaultInstance;
    try {
      defaultInstance = getDefaultInstance.invoke(null);
    } catch (IllegalAccessException e) {
      return unsupported("getDefaultInstance() is not accessible (is its package exported?): " + e);
    } catch (InvocationTargetException e) {
      return unsupported("getDefaultInstance() failed: " + e.getCause());
    } catch (RuntimeException | LinkageError e) {
      return unsupported("getDefaultInstance() failed: " + e);
    }
    if (!type.isInstance(defaultInstance)) {
      return unsupported("getDefaultInstance() did not return a " + type.getName());
    }
    return new Lookup(newMarshaller(type, (MessageLite) defaultInstance), null);
  }

  @SuppressWarnings("unchecked")
  private static <T extends MessageLite> ProtoMarshaller<T> newMarshaller(
      Class<?> type, MessageLite defaultInstance) {
    return new ProtoMarshaller<>((Class<T>) type, (T) defaultInstance);
  }

  private static Lookup unsupported(String why) {
    return new Lookup(null, why);
  }
}
