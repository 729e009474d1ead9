package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Every Switchboard bundle, Netty and protobuf resolve and go ACTIVE in Felix 7 with SCR, and each
 * provider bundle publishes its provider as a Declarative Services component. An unresolved bundle
 * fails the run.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FelixBundlesIT {
  static final String[] NETTY = {"netty-common", "netty-buffer", "netty-resolver", "netty-transport",
      "netty-transport-native-unix-common", "netty-codec-base", "netty-codec-compression",
      "netty-handler", "netty-codec-http", "netty-codec-http2"};
  static final String[] SWITCHBOARD = {"api", "core-clientconn", "core-server", "transport-netty",
      "balancer-pickfirst", "balancer-roundrobin", "codec-proto"};

  @Inject BundleContext ctx;

  static Option jar(String artifact) {
    return bundle(new File(System.getProperty("bundles.dir"), artifact + ".jar").toURI().toString());
  }

  @Configuration
  public Option[] config() {
    List<Option> opts = new ArrayList<>(List.of(
        systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
        junitBundles(),
        jar("org.osgi.util.function"), jar("org.osgi.util.promise"),
        jar("org.osgi.service.component"), jar("org.apache.felix.scr"),
        jar("protobuf-java")));
    for (String n : NETTY) {
      opts.add(jar(n));
    }
    for (String s : SWITCHBOARD) {
      opts.add(jar(s));
    }
    return options(opts.toArray(Option[]::new));
  }

  @Test
  public void everyBundleIsActive() {
    List<String> notActive = new ArrayList<>();
    for (Bundle b : ctx.getBundles()) {
      if (b.getBundleId() != 0 && b.getHeaders().get("Fragment-Host") == null
          && b.getState() != Bundle.ACTIVE) {
        notActive.add(b.getSymbolicName() + " state=" + b.getState());
      }
    }
    assertTrue("bundles not ACTIVE: " + notActive, notActive.isEmpty());
    for (String s : SWITCHBOARD) {
      String bsn = "dev.switchboard." + s.replace('-', '.');
      boolean found = false;
      for (Bundle b : ctx.getBundles()) {
        found |= bsn.equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE;
      }
      assertTrue(bsn + " installed and ACTIVE", found);
    }
  }

  @Test
  public void providersArePublishedAsServices() throws Exception {
    assertService("dev.switchboard.api.spi.BalancerProvider", "(balancer.name=pick_first)");
    assertService("dev.switchboard.api.spi.BalancerProvider", "(balancer.name=round_robin)");
    assertService("dev.switchboard.api.spi.CodecProvider", "(codec.name=proto)");
    assertService("dev.switchboard.api.transport.TransportProvider", "(transport.name=netty)");
  }

  private void assertService(String type, String filter) throws Exception {
    // DS registers asynchronously: wait on a tracker rather than polling.
    ServiceTracker<Object, Object> tracker = new ServiceTracker<>(ctx,
        ctx.createFilter("(&(objectClass=" + type + ")" + filter + ")"), null);
    tracker.open();
    try {
      Object service = tracker.waitForService(10_000);
      assertTrue(type + filter + " registered and instantiated", service != null);
      assertEquals(1, tracker.size());
    } finally {
      tracker.close();
    }
  }
}
