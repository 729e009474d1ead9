package dev.switchboard.telemetry.otel;

import dev.switchboard.api.spi.ResolverRegistry;
import dev.switchboard.api.telemetry.ClientCallInfo;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.telemetry.ServerCallInfo;
import dev.switchboard.api.telemetry.ServerCallTracer;
import dev.switchboard.api.telemetry.TelemetryProvider;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A {@link TelemetryProvider} that records the metrics of gRFC A66 and the spans of gRFC A72
 * through the application's {@link OpenTelemetry} (its meter provider, tracer provider and
 * propagators): give it to a channel or a server ({@code DialOptions.Builder}, {@code
 * ServerOptions.Builder}) or register it for all of them ({@code
 * TelemetryRegistry.getDefaultRegistry().register(...)}).
 *
 * <pre>{@code
 * TelemetryProvider otel = SwitchboardOpenTelemetry.newBuilder().openTelemetry(sdk).build();
 * TelemetryRegistry.getDefaultRegistry().register(otel);
 * }</pre>
 *
 * <h2>Metrics</h2>
 *
 * Client: {@code grpc.client.attempt.started} ({@code {attempt}}), {@code
 * grpc.client.attempt.duration} (s), {@code grpc.client.attempt.sent_total_compressed_message_size}
 * and {@code grpc.client.attempt.rcvd_total_compressed_message_size} (By), {@code
 * grpc.client.call.duration} (s), with {@code grpc.method}, {@code grpc.target} and, once ended,
 * {@code grpc.status}. Server: {@code grpc.server.call.started} ({@code {call}}), {@code
 * grpc.server.call.duration} (s), {@code grpc.server.call.sent_total_compressed_message_size} and
 * {@code grpc.server.call.rcvd_total_compressed_message_size} (By), with {@code grpc.method} and
 * {@code grpc.status}. Histograms carry A66's bucket boundaries as advice; the SDK's views may
 * change them.
 *
 * <h2>Cardinality</h2>
 *
 * {@code grpc.method} is the full method name for methods of generated stubs on the client ({@link
 * dev.switchboard.api.MethodDescriptor#isGenerated()}) and for methods registered on the server;
 * any other name (a generic client, a probe for a method the server does not have) is recorded as
 * {@code "other"} unless the {@linkplain Builder#methodAttributeFilter method filter} accepts it.
 * {@code grpc.target} is the channel's target with its scheme (the default one added when it has
 * none: {@code dns:///} when a dns resolver is deployed, else {@code passthrough:///}), or {@code
 * "other"} when the {@linkplain Builder#targetAttributeFilter target filter} rejects it.
 *
 * <h2>Tracing</h2>
 *
 * A client call makes a {@code Sent.<service>.<method>} span (a child of the span in the caller's
 * context, see below) and each attempt an {@code Attempt.<service>.<method>} span (attributes
 * {@code previous-rpc-attempts}, {@code transparent-retry}; events {@code Outbound message} and
 * {@code Inbound message} with {@code sequence-number}, {@code message-size} and, for compressed
 * messages, {@code message-size-compressed}). The attempt's context goes into the request headers
 * through the OpenTelemetry instance's propagators (W3C {@code traceparent} with the usual SDK
 * setup). A server call makes a {@code Recv.<service>.<method>} span that continues the propagated
 * trace ({@code Recv.other} for an unregistered method). Spans end with status OK, or ERROR
 * described {@code "CODE, description"}.
 *
 * <p>The server span is put into the handler's {@link dev.switchboard.api.Context}; a client call
 * started in the handler takes it as its parent, so the server's own outgoing calls join the trace.
 * Elsewhere the parent is OpenTelemetry's {@link Context#current()}. Handler code gets the span
 * with {@link #otelContext(dev.switchboard.api.Context)}.
 *
 * <p>Thread-safe and immutable. Tracers never throw: OpenTelemetry's failures are logged.
 *
 * @since 0.3
 */
public final class SwitchboardOpenTelemetry implements TelemetryProvider {
  /** The provider's name: one OpenTelemetry provider at a time is installed in a registry. */
  public static final String NAME = "opentelemetry";

  /** The {@code grpc.method} and {@code grpc.target} value of names not recorded as they are. */
  public static final String OTHER = "other";

  /** Where a server call's OpenTelemetry context (with its span) rides in the handler's context. */
  static final dev.switchboard.api.Context.Key<Context> OTEL_CONTEXT_KEY =
      new dev.switchboard.api.Context.Key<>("opentelemetry-context");

  private static final Pattern HAS_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:/.*");
  private static final Pattern OPAQUE_SCHEME =
      Pattern.compile("^(unix|unix-abstract|passthrough|dns|ipv4|ipv6|xds):.*");

  /** Null when metrics are off. */
  final Instruments instruments;

  /** Null when tracing is off. */
  final Tracer tracer;

  final ContextPropagators propagators;
  private final Predicate<String> methodFilter;
  private final Predicate<String> targetFilter;
  private final LongSupplier ticker;
  private final ClientCallTracer.Factory clientFactory = this::newClientCallTracer;
  private final ServerCallTracer.Factory serverFactory = this::newServerCallTracer;

  private SwitchboardOpenTelemetry(Builder b) {
    String version = SwitchboardOpenTelemetry.class.getPackage().getImplementationVersion();
    this.instruments = b.metrics ? new Instruments(b.openTelemetry, version) : null;
    this.tracer =
        b.tracing
            ? b.openTelemetry
                .getTracerProvider()
                .tracerBuilder(Instruments.SCOPE)
                .setInstrumentationVersion(version == null ? "unknown" : version)
                .build()
            : null;
    this.propagators = b.tracing ? b.openTelemetry.getPropagators() : ContextPropagators.noop();
    this.methodFilter = b.methodFilter;
    this.targetFilter = b.targetFilter;
    this.ticker = b.ticker;
  }

  /** {@return a builder, with no OpenTelemetry instance yet (the no-op one)} */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * The OpenTelemetry context of a server call, with its {@code Recv.*} span: for handler code that
   * calls libraries instrumented with OpenTelemetry ({@code try (Scope s =
   * otelContext(Context.current()).makeCurrent()) {...}}).
   *
   * @param context a handler's context, such as {@code dev.switchboard.api.Context.current()}
   * @return the call's OpenTelemetry context, or {@link Context#root()} when this provider did not
   *     trace the call
   */
  public static Context otelContext(dev.switchboard.api.Context context) {
    Context c = context.get(OTEL_CONTEXT_KEY);
    return c == null ? Context.root() : c;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ClientCallTracer.Factory clientCallTracers() {
    return clientFactory;
  }

  @Override
  public ServerCallTracer.Factory serverCallTracers() {
    return serverFactory;
  }

  long nanoTime() {
    return ticker.getAsLong();
  }

  private ClientCallTracer newClientCallTracer(ClientCallInfo info) {
    try {
      String full = info.method().getFullMethodName();
      String method = info.method().isGenerated() || acceptsMethod(full) ? full : OTHER;
      Context parent = dev.switchboard.api.Context.current().get(OTEL_CONTEXT_KEY);
      if (parent == null) {
        parent = Context.current();
      }
      return new OtelClientCallTracer(this, method, targetAttribute(info.target()), full, parent);
    } catch (RuntimeException e) {
      Guard.failed("newCallTracer (client)", e);
      return null;
    }
  }

  private ServerCallTracer newServerCallTracer(ServerCallInfo info) {
    try {
      String full = info.fullMethodName();
      String method = info.registeredMethod() || acceptsMethod(full) ? full : OTHER;
      Context parent =
          propagators
              .getTextMapPropagator()
              .extract(Context.root(), info.headers(), MetadataCarrier.INSTANCE);
      return new OtelServerCallTracer(this, method, method, parent);
    } catch (RuntimeException e) {
      Guard.failed("newCallTracer (server)", e);
      return null;
    }
  }

  private boolean acceptsMethod(String fullMethodName) {
    try {
      return methodFilter.test(fullMethodName);
    } catch (RuntimeException e) {
      Guard.failed("methodAttributeFilter", e);
      return false;
    }
  }

  private String targetAttribute(String target) {
    if (target == null) {
      return OTHER;
    }
    String canonical =
        HAS_SCHEME.matcher(target).matches() || OPAQUE_SCHEME.matcher(target).matches()
            ? target
            : defaultScheme() + ":///" + target;
    try {
      return targetFilter.test(canonical) ? canonical : OTHER;
    } catch (RuntimeException e) {
      Guard.failed("targetAttributeFilter", e);
      return OTHER;
    }
  }

  /** The channel's default scheme, as the core picks it: dns when deployed, else passthrough. */
  static String defaultScheme() {
    return ResolverRegistry.getDefaultRegistry().lookup("dns") != null ? "dns" : "passthrough";
  }

  /**
   * Builds a {@link SwitchboardOpenTelemetry}. Not thread-safe.
   *
   * @since 0.3
   */
  public static final class Builder {
    private OpenTelemetry openTelemetry = OpenTelemetry.noop();
    private Predicate<String> methodFilter = m -> false;
    private Predicate<String> targetFilter = t -> true;
    private boolean metrics = true;
    private boolean tracing = true;
    private LongSupplier ticker = System::nanoTime;

    private Builder() {}

    /**
     * Records through {@code openTelemetry}: its meter provider for metrics, tracer provider for
     * spans, propagators for the trace context in headers. Without it nothing is recorded (A66: no
     * fallback to {@code GlobalOpenTelemetry}).
     *
     * @param openTelemetry the application's instance, usually an {@code OpenTelemetrySdk}
     * @return this builder
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Decides, for a method whose name is not known to be bounded (a hand-built descriptor on the
     * client, an unregistered method on the server), whether {@code grpc.method} records its name
     * or {@value SwitchboardOpenTelemetry#OTHER}. By default every such name is {@code "other"}.
     *
     * @param filter given the full method name, true to record it as it is; it must not block
     * @return this builder
     */
    public Builder methodAttributeFilter(Predicate<String> filter) {
      this.methodFilter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Decides whether {@code grpc.target} records a channel's target or {@value
     * SwitchboardOpenTelemetry#OTHER}, to bound the cardinality of targets such as IP addresses. By
     * default every target is recorded.
     *
     * @param filter given the target with its scheme ({@code dns:///host:443}), true to record it;
     *     it must not block
     * @return this builder
     */
    public Builder targetAttributeFilter(Predicate<String> filter) {
      this.targetFilter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Turns the metrics on or off (on by default).
     *
     * @param enabled whether to record the A66 metrics
     * @return this builder
     */
    public Builder metrics(boolean enabled) {
      this.metrics = enabled;
      return this;
    }

    /**
     * Turns tracing and trace-context propagation on or off (on by default).
     *
     * @param enabled whether to record the A72 spans and propagate their context
     * @return this builder
     */
    public Builder tracing(boolean enabled) {
      this.tracing = enabled;
      return this;
    }

    /** For tests: the clock durations are measured with, in nanoseconds. */
    Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** {@return a new provider; its instruments are created now} */
    public SwitchboardOpenTelemetry build() {
      return new SwitchboardOpenTelemetry(this);
    }
  }
}
