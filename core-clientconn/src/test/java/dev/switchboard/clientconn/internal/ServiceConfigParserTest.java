package dev.switchboard.clientconn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Status;
import dev.switchboard.api.spi.Balancer;
import dev.switchboard.api.spi.BalancerConn;
import dev.switchboard.api.spi.BalancerProvider;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.ConfigOrError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigParserTest {
  private final BalancerRegistry registry = new BalancerRegistry();
  private final TestPickFirstBalancer.Provider pickFirst =
      new TestPickFirstBalancer.Provider("pick_first");
  private final ServiceConfigParser parser = new ServiceConfigParser(registry);

  ServiceConfigParserTest() {
    registry.register(pickFirst);
  }

  private ServiceConfig ok(String json) {
    ConfigOrError result = parser.parse(json);
    assertNull(result.error(), () -> "unexpected error " + result.error());
    return (ServiceConfig) result.config();
  }

  private String error(String json) {
    ConfigOrError result = parser.parse(json);
    assertEquals(Status.Code.UNAVAILABLE, result.error().getCode());
    return result.error().getDescription();
  }

  @Test
  void noConfigMeansPickFirst() {
    assertEquals("pick_first", ok(null).policyName());
    assertEquals("pick_first", ok("{}").policyName());
    assertSame(pickFirst, ok("{}").provider());
    assertEquals(Map.of(), ok("{}").balancerConfig());
  }

  @Test
  void healthCheckConfigNamesTheServiceToCheck() {
    assertNull(ok("{}").healthCheckServiceName());
    assertNull(ok("{\"healthCheckConfig\": {}}").healthCheckServiceName());
    assertEquals(
        "my.Service",
        ok("{\"healthCheckConfig\": {\"serviceName\": \"my.Service\"}}").healthCheckServiceName());
    assertEquals(
        "", ok("{\"healthCheckConfig\": {\"serviceName\": \"\"}}").healthCheckServiceName());
    assertTrue(error("{\"healthCheckConfig\": 3}").contains("healthCheckConfig"));
    assertTrue(
        error("{\"healthCheckConfig\": {\"serviceName\": 1}}")
            .contains("healthCheckConfig.serviceName"));
  }

  @Test
  void firstDeployedPolicyInTheListWins() {
    ServiceConfig config =
        ok(
            "{\"loadBalancingConfig\": [{\"grpclb\": {}},"
                + " {\"pick_first\": {\"shuffleAddressList\": true}}, {\"round_robin\": {}}]}");
    assertEquals("pick_first", config.policyName());
    assertEquals(Map.of("shuffleAddressList", true), config.balancerConfig());

    registry.register(new TestPickFirstBalancer.Provider("round_robin"));
    assertEquals(
        "round_robin",
        ok("{\"loadBalancingConfig\": [{\"round_robin\": {}}," + " {\"pick_first\": {}}]}")
            .policyName());
  }

  @Test
  void missingPolicyIsNamed() {
    assertEquals(
        "no balancing policy deployed among [round_robin] (deployed: [pick_first]): "
            + "register a BalancerProvider for 'round_robin' in the BalancerRegistry in use",
        error("{\"loadBalancingConfig\": [{\"round_robin\": {}}]}"));
    // A typo: the error lists what is deployed.
    registry.register(new TestPickFirstBalancer.Provider("round_robin"));
    assertEquals(
        "no balancing policy deployed among [round_robbin] (deployed: [pick_first, "
            + "round_robin]): register a BalancerProvider for 'round_robbin' in the BalancerRegistry "
            + "in use",
        error("{\"loadBalancingConfig\": [{\"round_robbin\":{}}]}"));
  }

  @Test
  void legacyPolicyNameIsUnderstood() {
    assertEquals(
        "no balancing policy deployed among [round_robin] (deployed: [pick_first]): "
            + "register a BalancerProvider for 'round_robin' in the BalancerRegistry in use",
        error("{\"loadBalancingPolicy\": \"ROUND_ROBIN\"}"));
    registry.register(new TestPickFirstBalancer.Provider("round_robin"));
    assertEquals("round_robin", ok("{\"loadBalancingPolicy\": \"ROUND_ROBIN\"}").policyName());
    assertEquals(
        "pick_first",
        ok("{\"loadBalancingPolicy\": \"round_robin\","
                + " \"loadBalancingConfig\": [{\"pick_first\": {}}]}")
            .policyName());
  }

  @Test
  void policyConfigIsParsedByItsProvider() {
    registry.register(new RejectingProvider());
    assertEquals(
        "invalid config for balancing policy 'picky': bad field",
        error("{\"loadBalancingConfig\": [{\"picky\": {\"x\": 1}}]}"));
    ServiceConfig config = ok("{\"loadBalancingConfig\": [{\"picky\": {}}]}");
    assertEquals("parsed", config.balancerConfig());
  }

  @Test
  void throwingConfigParserIsReported() {
    registry.register(new RejectingProvider());
    String message = error("{\"loadBalancingConfig\": [{\"picky\": {\"boom\": 1}}]}");
    assertTrue(message.startsWith("balancing policy 'picky' failed to parse its config"), message);
  }

  @Test
  void malformedConfigsAreExplained() {
    assertTrue(error("{").startsWith("invalid service config: invalid JSON at line 1, column 2"));
    assertEquals("invalid service config: expected a JSON object", error("[]"));
    assertEquals(
        "invalid service config: loadBalancingConfig must be a list",
        error("{\"loadBalancingConfig\": {}}"));
    assertTrue(
        error("{\"loadBalancingConfig\": [{\"a\":{}, \"b\":{}}]}")
            .contains("exactly one policy name"));
    assertEquals(
        "invalid service config: the config of policy 'pick_first' must be a JSON object",
        error("{\"loadBalancingConfig\": [{\"pick_first\": 1}]}"));
    assertEquals(
        "invalid service config: loadBalancingConfig lists no policy",
        error("{\"loadBalancingConfig\": []}"));
    assertEquals(
        "invalid service config: loadBalancingPolicy must be a string",
        error("{\"loadBalancingPolicy\": 1}"));
  }

  @Test
  void syntaxCheckForDialTime() {
    ServiceConfigParser.checkSyntax("{\"loadBalancingConfig\": [{\"round_robin\": {}}]}");
    assertThrows(IllegalArgumentException.class, () -> ServiceConfigParser.checkSyntax("{"));
    assertThrows(IllegalArgumentException.class, () -> ServiceConfigParser.checkSyntax("[]"));
  }

  /** Rejects configs with field x, throws on field boom. */
  private static final class RejectingProvider implements BalancerProvider {
    @Override
    public String name() {
      return "picky";
    }

    @Override
    public Balancer newBalancer(BalancerConn conn) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ConfigOrError parseConfig(Map<String, ?> rawConfig) {
      if (rawConfig.containsKey("boom")) {
        throw new IllegalStateException("boom");
      }
      return rawConfig.containsKey("x")
          ? ConfigOrError.fromError(Status.INVALID_ARGUMENT.withDescription("bad field"))
          : ConfigOrError.fromConfig("parsed");
    }
  }
}
