package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import dev.switchboard.api.Context;
import dev.switchboard.api.Metadata;
import dev.switchboard.api.Status;
import dev.switchboard.api.telemetry.ServerCallInfo;
import dev.switchboard.api.telemetry.ServerCallTracer;
import dev.switchboard.api.telemetry.TelemetryProvider;
import dev.switchboard.api.telemetry.TelemetryRegistry;
import dev.switchboard.telemetry.otel.SwitchboardOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The telemetry-otel bundle in a framework with the opentelemetry-api, -context and -common bundles
 * (no SDK; -common needs a Service Loader Mediator, here Aries SPI Fly): it resolves and starts,
 * its DS component publishes the {@code opentelemetry} TelemetryProvider, which stays out of the
 * registry unless {@code switchboard.otel.global} is set, and a provider built from the
 * OpenTelemetry API works there.
 */
@RunWith(PaxExam.class)
@ExamFactory(NativeTestContainerFactory.class)
@ExamReactorStrategy(PerClass.class)
public class TelemetryBundleIT {
  @Inject BundleContext ctx;

  @Configuration
  public Option[] config() {
    return FelixOptions.switchboard(FelixOptions.openTelemetryApi("telemetry-otel"));
  }

  @Test
  public void resolvesPublishesItsComponentAndTracesWithTheApi() throws Exception {
    Bundle bundle = InFramework.bundle(ctx, "telemetry-otel");
    assertEquals(Bundle.ACTIVE, bundle.getState());

    ServiceTracker<TelemetryProvider, TelemetryProvider> tracker =
        new ServiceTracker<>(
            ctx,
            ctx.createFilter(
                "(&(objectClass="
                    + TelemetryProvider.class.getName()
                    + ")("
                    + TelemetryProvider.NAME_PROPERTY
                    + "="
                    + SwitchboardOpenTelemetry.NAME
                    + "))"),
            null);
    tracker.open();
    try {
      TelemetryProvider global = tracker.waitForService(10_000);
      assertNotNull("the DS component's TelemetryProvider service", global);
      assertEquals(bundle, FrameworkUtil.getBundle(global.getClass()));
      // Off unless -Dswitchboard.otel.global=true: published, but not used by channels.
      assertEquals(false, global.isAvailable());
      assertNull(TelemetryRegistry.getDefaultRegistry().lookup(SwitchboardOpenTelemetry.NAME));
    } finally {
      tracker.close();
    }

    SwitchboardOpenTelemetry otel =
        SwitchboardOpenTelemetry.newBuilder().openTelemetry(OpenTelemetry.noop()).build();
    ServerCallTracer t =
        otel.serverCallTracers()
            .newCallTracer(new ServerCallInfo("a.B/C", true, new Metadata(), null));
    Context handler = t.filterContext(Context.ROOT);
    assertNotNull(SwitchboardOpenTelemetry.otelContext(handler));
    t.callEnded(Status.OK);
  }
}
