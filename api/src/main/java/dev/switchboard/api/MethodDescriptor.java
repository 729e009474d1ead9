package dev.switchboard.api;

import java.util.Objects;

/**
 * Describes one RPC method: its full name ({@code package.Service/Method}), its {@link MethodType},
 * and how its messages are marshalled. Immutable and thread-safe; create once and share.
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
  private final boolean generated;

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
    this.generated = b.generated;
  }

  /**
   * {@return the full method name {@code service/method}}
   *
   * @param serviceName the fully qualified service name, such as {@code helloworld.Greeter}
   * @param methodName the method name, such as {@code SayHello}
   */
  public static String fullMethodName(String serviceName, String methodName) {
    return serviceName + "/" + methodName;
  }

  /**
   * {@return a new builder, with the {@value #DEFAULT_CODEC} codec}
   *
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
  public static <ReqT, RespT> Builder<ReqT, RespT> newBuilder() {
    return new Builder<>();
  }

  /**
   * {@return a descriptor whose messages are marshalled by the {@value #DEFAULT_CODEC} codec}
   *
   * @param fullMethodName {@code package.Service/Method}
   * @param type the method's kind
   * @param requestType the request message class
   * @param responseType the response message class
   * @param <ReqT> request message type
   * @param <RespT> response message type
   * @throws IllegalArgumentException when the name is not {@code package.Service/Method}
   */
  public static <ReqT, RespT> MethodDescriptor<ReqT, RespT> of(
      String fullMethodName, MethodType type, Class<ReqT> requestType, Class<RespT> responseType) {
    return MethodDescriptor.<ReqT, RespT>newBuilder()
        .setFullMethodName(fullMethodName)
        .setType(type)
        .setRequestType(requestType)
        .setResponseType(responseType)
        .build();
  }

  /**
   * {@return the full method name, {@code package.Service/Method}, as sent in {@code :path} after a
   * {@code /}}
   */
  public String getFullMethodName() {
    return fullMethodName;
  }

  /**
   * {@return the part of the full name before the last {@code /}, such as {@code
   * helloworld.Greeter}}
   */
  public String getServiceName() {
    return serviceName;
  }

  /** {@return the part of the full name after the last {@code /}, such as {@code SayHello}} */
  public String getMethodName() {
    return fullMethodName.substring(serviceName.length() + 1);
  }

  /** {@return the method's kind: how many messages each side sends} */
  public MethodType getType() {
    return type;
  }

  /** {@return the request class, or {@code null} when only a marshaller was given} */
  public Class<ReqT> getRequestType() {
    return requestType;
  }

  /** {@return the response class, or {@code null} when only a marshaller was given} */
  public Class<RespT> getResponseType() {
    return responseType;
  }

  /** {@return the codec / content-subtype name, never null} */
  public String getCodecName() {
    return codecName;
  }

  /** {@return the explicit request marshaller, or {@code null} to use the codec} */
  public Marshaller<ReqT> getRequestMarshaller() {
    return requestMarshaller;
  }

  /** {@return the explicit response marshaller, or {@code null} to use the codec} */
  public Marshaller<RespT> getResponseMarshaller() {
    return responseMarshaller;
  }

  /**
   * {@return whether the method is idempotent (proto {@code idempotency_level} IDEMPOTENT or
   * NO_SIDE_EFFECTS)} Informational: Switchboard does not act on it yet.
   */
  public boolean isIdempotent() {
    return idempotent;
  }

  /**
   * {@return whether the method has no side effects (proto {@code idempotency_level}
   * NO_SIDE_EFFECTS)} Informational: Switchboard does not act on it yet.
   */
  public boolean isSafe() {
    return safe;
  }

  /**
   * {@return whether generated stubs declared this method (the {@code compiler} module's code sets
   * it)} Telemetry records the names of such methods as they are (gRFC A66 {@code grpc.method}),
   * since a program calls a fixed set of them; a hand-built descriptor (a generic client, a proxy
   * forwarding arbitrary names) is reported under a generic name unless the telemetry is told
   * otherwise.
   *
   * @since 0.3
   */
  public boolean isGenerated() {
    return generated;
  }

  /** {@return a new builder holding this descriptor's values, to derive a changed descriptor} */
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
    b.generated = generated;
    return b;
  }

  @Override
  public String toString() {
    return "MethodDescriptor(" + fullMethodName + ", " + type + ")";
  }

  /**
   * Builds a {@link MethodDescriptor}. Not thread-safe; each setter returns this builder.
   *
   * @param <ReqT> request message type
   * @param <RespT> response message type
   */
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
    private boolean generated;

    private Builder() {}

    /**
     * Sets the full method name. Required.
     *
     * @param fullMethodName {@code package.Service/Method}
     * @return this builder
     */
    public Builder<ReqT, RespT> setFullMethodName(String fullMethodName) {
      this.fullMethodName = fullMethodName;
      return this;
    }

    /**
     * Sets the method's kind. Required.
     *
     * @param type the kind
     * @return this builder
     */
    public Builder<ReqT, RespT> setType(MethodType type) {
      this.type = type;
      return this;
    }

    /**
     * Sets the request class, for the codec to find a marshaller. Required unless a request
     * marshaller is set.
     *
     * @param requestType the request message class
     * @return this builder
     */
    public Builder<ReqT, RespT> setRequestType(Class<ReqT> requestType) {
      this.requestType = requestType;
      return this;
    }

    /**
     * Sets the response class, for the codec to find a marshaller. Required unless a response
     * marshaller is set.
     *
     * @param responseType the response message class
     * @return this builder
     */
    public Builder<ReqT, RespT> setResponseType(Class<RespT> responseType) {
      this.responseType = responseType;
      return this;
    }

    /**
     * Names the codec for the message classes; also sent as the content-subtype ({@code
     * application/grpc+<name>}).
     *
     * @param codecName a codec name, not null ({@value #DEFAULT_CODEC} by default)
     * @return this builder
     */
    public Builder<ReqT, RespT> setCodecName(String codecName) {
      this.codecName = Objects.requireNonNull(codecName, "codecName");
      return this;
    }

    /**
     * Marshals requests with {@code m} instead of the codec.
     *
     * @param m the marshaller, or {@code null} to use the codec
     * @return this builder
     */
    public Builder<ReqT, RespT> setRequestMarshaller(Marshaller<ReqT> m) {
      this.requestMarshaller = m;
      return this;
    }

    /**
     * Marshals responses with {@code m} instead of the codec.
     *
     * @param m the marshaller, or {@code null} to use the codec
     * @return this builder
     */
    public Builder<ReqT, RespT> setResponseMarshaller(Marshaller<RespT> m) {
      this.responseMarshaller = m;
      return this;
    }

    /**
     * Marks the method idempotent (see {@link MethodDescriptor#isIdempotent()}).
     *
     * @param idempotent whether it is
     * @return this builder
     */
    public Builder<ReqT, RespT> setIdempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /**
     * Marks the method free of side effects (see {@link MethodDescriptor#isSafe()}).
     *
     * @param safe whether it is
     * @return this builder
     */
    public Builder<ReqT, RespT> setSafe(boolean safe) {
      this.safe = safe;
      return this;
    }

    /**
     * Marks the method as declared by generated stubs (see {@link MethodDescriptor#isGenerated()});
     * generated code sets it, hand-written descriptors normally do not.
     *
     * @param generated whether it is
     * @return this builder
     * @since 0.3
     */
    public Builder<ReqT, RespT> setGenerated(boolean generated) {
      this.generated = generated;
      return this;
    }

    /**
     * {@return a new immutable descriptor}
     *
     * @throws IllegalArgumentException when the name is not {@code package.Service/Method}, or a
     *     direction has neither a message class nor a marshaller
     * @throws NullPointerException when the name or type is missing
     */
    public MethodDescriptor<ReqT, RespT> build() {
      return new MethodDescriptor<>(this);
    }
  }
}
