package dev.switchboard.telemetry.otel;

import static dev.switchboard.telemetry.otel.OtelFixture.call;
import static dev.switchboard.telemetry.otel.OtelFixture.method;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.MethodType;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ClientCallTracer;
import dev.switchboard.api.telemetry.TelemetryProvider;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GlobalOpenTelemetryProviderTest {
  @AfterEach
  void reset() {
    System.clearProperty(GlobalOpenTelemetryProvider.ENABLE_PROPERTY);
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void serviceLoaderFindsItAndItIsOffUnlessEnabled() {
    TelemetryProvider found =
        ServiceLoader.load(TelemetryProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p instanceof GlobalOpenTelemetryProvider)
            .findFirst()
            .orElseThrow();
    assertEquals(SwitchboardOpenTelemetry.NAME, found.name());
    assertFalse(found.isAvailable());
    assertNull(
        found.clientCallTracers().newCallTracer(call(method("a.B/C", MethodType.UNARY, true))));

    TelemetryRegistry registry = new TelemetryRegistry();
    registry.register(found);
    assertNull(registry.lookup(SwitchboardOpenTelemetry.NAME));
  }

  @Test
  void whenEnabledItRecordsThroughGlobalOpenTelemetryAndYieldsToARegisteredOne() {
    try (OtelFixture f = new OtelFixture()) {
      GlobalOpenTelemetry.set(f.sdk);
      System.setProperty(GlobalOpenTelemetryProvider.ENABLE_PROPERTY, "true");
      GlobalOpenTelemetryProvider global = new GlobalOpenTelemetryProvider();
      assertTrue(global.isAvailable());
      ClientCallTracer call =
          global.clientCallTracers().newCallTracer(call(method("a.B/C", MethodType.UNARY, true)));
      call.callEnded(Status.OK);
      assertEquals(1, f.spans.getFinishedSpanItems().size());
      assertEquals("Sent.a.B.C", f.spans.getFinishedSpanItems().get(0).getName());

      TelemetryRegistry registry = new TelemetryRegistry();
      registry.register(global);
      registry.register(f.provider);
      assertSame(f.provider, registry.lookup(SwitchboardOpenTelemetry.NAME));
    }
  }
}
