package dev.switchboard.api;

import java.util.Objects;

/**
 * Describes one RPC method: its full name ({@code package.Service/Method}), its {@link
 * MethodType}, and how its messages are marshalled. Immutable and thread-safe; create once and
 * share.
 *
 * <p>Messages are marshalled either by explicit {@link Marshaller}s or, when none is given, by the
 * {@link dev.switchboard.api.spi.Codec} registered under {@link #getCodecName()} (default {@code
 * "proto"}) for the request and response classes. The codec name is also the content-subtype sent
 * as {@code application/grpc+<name>}.
 *
 * @param <ReqT> request message type
 * @param <RespT> response message type
 * @since 0.1
 */
public final class MethodDescriptor<ReqT, RespT> {
  /** The codec used when a method names none. */
  public static final String DEFAULT_CODEC = "proto";

  private final String fullMethodName;
  private final String serviceName;
  private final MethodType type;
  private final Class<ReqT> requestType;
  private final Class<RespT> responseType;
  private final String codecName;
  private final Marshaller<ReqT> requestMarshaller;
  private final Marshaller<RespT> responseMarshaller;
  private final boolean idempotent;
  private final boolean safe;

  private MethodDescriptor(Builder<ReqT, RespT> b) {
    this.fullMethodName = Objects.requireNonNull(b.fullMethodName, "fullMethodName");
    int slash = fullMethodName.lastIndexOf('/');
    if (slash <= 0 || slash == fullMethodName.length() - 1 || fullMethodName.startsWith("/")) {
      throw new IllegalArgumentException(
          "full method name must be 'package.Service/Method': " + fullMethodName);
    }
    this.serviceName = fullMethodName.substring(0, slash);
    this.type = Objects.requireNonNull(b.type, "type");
    this.requestType = b.requestType;
    this.responseType = b.responseType;
    this.codecName = b.codecName;
    this.requestMarshaller = b.requestMarshaller;
    this.responseMarshaller = b.responseMarshaller;
    if ((requestMarshaller == null && requestType == null)
        || (responseMarshaller == null && responseType == null)) {
      throw new IllegalArgumentException(
          fullMethodName + ": each direction needs a message class or a marshaller");
    }
    this.idempotent = b.idempotent;
    this.safe = b.safe;
  }

  /** Joins a service name and a method name into {@code service/method}. */
  public static String fullMethodName(String serviceName, String methodName) {
    return serviceName + "/" + methodName;
  }

  public static <ReqT, RespT> Builder<ReqT, RespT> newBuilder() {
    return new Builder<>();
  }

  /** A descriptor for {@code fullMethodName} using the default codec for both classes. */
  public static <ReqT, RespT> MethodDescriptor<ReqT, RespT> of(
      String fullMethodName, MethodType type, Class<ReqT> requestType, Class<RespT> responseType) {
    return MethodDescriptor.<ReqT, RespT>newBuilder()
        .setFullMethodName(fullMethodName)
        .setType(type)
        .setRequestType(requestType)
        .setResponseType(responseType)
        .build();
  }

  public String getFullMethodName() {
    return fullMethodName;
  }

  public String getServiceName() {
    return serviceName;
  }

  public String getMethodName() {
    return fullMethodName.substring(serviceName.length() + 1);
  }

  public MethodType getType() {
    return type;
  }

  /** The request class, or {@code null} when only a marshaller was given. */
  public Class<ReqT> getRequestType() {
    return requestType;
  }

  /** The response class, or {@code null} when only a marshaller was given. */
  public Class<RespT> getResponseType() {
    return responseType;
  }

  /** The codec / content-subtype name, never null. */
  public String getCodecName() {
    return codecName;
  }

  /** The explicit request marshaller, or {@code null} to use the codec. */
  public Marshaller<ReqT> getRequestMarshaller() {
    return requestMarshaller;
  }

  /** The explicit response marshaller, or {@code null} to use the codec. */
  public Marshaller<RespT> getResponseMarshaller() {
    return responseMarshaller;
  }

  public boolean isIdempotent() {
    return idempotent;
  }

  public boolean isSafe() {
    return safe;
  }

  public Builder<ReqT, RespT> toBuilder() {
    Builder<ReqT, RespT> b = new Builder<>();
    b.fullMethodName = fullMethodName;
    b.type = type;
    b.requestType = requestType;
    b.responseType = responseType;
    b.codecName = codecName;
    b.requestMarshaller = requestMarshaller;
    b.responseMarshaller = responseMarshaller;
    b.idempotent = idempotent;
    b.safe = safe;
    return b;
  }

  @Override
  public String toString() {
    return "MethodDescriptor(" + fullMethodName + ", " + type + ")";
  }

  /** Builds a {@link MethodDescriptor}. */
  public static final class Builder<ReqT, RespT> {
    private String fullMethodName;
    private MethodType type;
    private Class<ReqT> requestType;
    private Class<RespT> responseType;
    private String codecName = DEFAULT_CODEC;
    private Marshaller<ReqT> requestMarshaller;
    private Marshaller<RespT> responseMarshaller;
    private boolean idempotent;
    private boolean safe;

    private Builder() {}

    public Builder<ReqT, RespT> setFullMethodName(String fullMethodName) {
      this.fullMethodName = fullMethodName;
      return this;
    }

    public Builder<ReqT, RespT> setType(MethodType type) {
      this.type = type;
      return this;
    }

    public Builder<ReqT, RespT> setRequestType(Class<ReqT> requestType) {
      this.requestType = requestType;
      return this;
    }

    public Builder<ReqT, RespT> setResponseType(Class<RespT> responseType) {
      this.responseType = responseType;
      return this;
    }

    public Builder<ReqT, RespT> setCodecName(String codecName) {
      this.codecName = Objects.requireNonNull(codecName, "codecName");
      return this;
    }

    public Builder<ReqT, RespT> setRequestMarshaller(Marshaller<ReqT> m) {
      this.requestMarshaller = m;
      return this;
    }

    public Builder<ReqT, RespT> setResponseMarshaller(Marshaller<RespT> m) {
      this.responseMarshaller = m;
      return this;
    }

    public Builder<ReqT, RespT> setIdempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    public Builder<ReqT, RespT> setSafe(boolean safe) {
      this.safe = safe;
      return this;
    }

    public MethodDescriptor<ReqT, RespT> build() {
      return new MethodDescriptor<>(this);
    }
  }
}
