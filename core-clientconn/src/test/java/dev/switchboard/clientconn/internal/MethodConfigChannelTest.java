package dev.switchboard.clientconn.internal;

import static dev.switchboard.clientconn.internal.FakeResolverProvider.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Attributes;
import dev.switchboard.api.CallOptions;
import dev.switchboard.api.spi.ResolverState;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The service config's methodConfig, from every source, applied to the channel's calls. */
class MethodConfigChannelTest {
  private static final String UNARY_2S_WAIT =
      "{\"methodConfig\": [{\"name\": [{\"service\": \"test.Echo\", \"method\": \"Unary\"}],"
          + " \"timeout\": \"2s\", \"waitForReady\": true}]}";
  private static final String ECHO_SMALL =
      "{\"methodConfig\": [{\"name\": [{\"service\": \"test.Echo\"}],"
          + " \"maxRequestMessageBytes\": 10}]}";

  private final ChannelFixture f = new ChannelFixture();

  private CallOptions lastCallOptions() {
    return f.lastStream().callOptions;
  }

  @Test
  void theDefaultServiceConfigsMethodSettingsApply() {
    ClientConnImpl conn = f.readyChannel(f.options().defaultServiceConfig(UNARY_2S_WAIT).build());
    ChannelFixture.startCall(conn, ChannelFixture.UNARY, CallOptions.DEFAULT, "hi");
    assertEquals(2000, lastCallOptions().getDeadline().timeRemaining(TimeUnit.MILLISECONDS));
    assertTrue(lastCallOptions().isWaitForReady());

    ChannelFixture.startCall(conn, ChannelFixture.BIDI, CallOptions.DEFAULT, "hi");
    assertNull(lastCallOptions().getDeadline(), "another method of the service: not named");
    assertFalse(lastCallOptions().isWaitForReady());
  }

  @Test
  void updateServiceConfigAppliesTheMethodPartLive() {
    ClientConnImpl conn = f.readyChannel();
    conn.updateServiceConfig(ECHO_SMALL);
    ChannelFixture.startCall(conn, ChannelFixture.UNARY, CallOptions.DEFAULT, "hi");
    assertEquals(10, lastCallOptions().getMaxOutboundMessageSize());

    conn.updateServiceConfig(null);
    ChannelFixture.startCall(conn, ChannelFixture.UNARY, CallOptions.DEFAULT, "hi");
    assertEquals(Integer.MAX_VALUE, lastCallOptions().getMaxOutboundMessageSize());
  }

  @Test
  void anInvalidConfigFromTheResolverKeepsTheLastGoodOne() {
    ClientConnImpl conn = f.readyChannel();
    f.resolver
        .last()
        .conn
        .updateState(new ResolverState(List.of(address(1)), ECHO_SMALL, Attributes.EMPTY));
    f.resolver
        .last()
        .conn
        .updateState(
            new ResolverState(
                List.of(address(1)),
                "{\"methodConfig\": [{\"name\": [{}], \"timeout\": 3}]}",
                Attributes.EMPTY));
    ChannelFixture.startCall(conn, ChannelFixture.UNARY, CallOptions.DEFAULT, "hi");
    assertEquals(10, lastCallOptions().getMaxOutboundMessageSize(), "the last good config");
  }

  @Test
  void anInvalidDefaultConfigIsAnErrorAtNewClientNamingThePath() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                f.dial(
                    "fake:///svc",
                    f.options()
                        .defaultServiceConfig(
                            "{\"methodConfig\": [{\"name\": [{}], \"waitForReady\": 1}]}")
                        .build()));
    assertTrue(
        e.getMessage().contains("methodConfig[0].waitForReady must be true or false"),
        e.getMessage());
  }

  @Test
  void updateServiceConfigRefusesAnInvalidMethodPart() {
    ClientConnImpl conn = f.readyChannel();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                conn.updateServiceConfig(
                    "{\"methodConfig\": [{\"name\": [{\"method\": \"Unary\"}]}]}"));
    assertTrue(e.getMessage().contains("methodConfig[0].name[0] names a method without a service"));
  }

  @Test
  void disableServiceConfigLookupIgnoresTheResolversConfig() {
    ClientConnImpl conn =
        f.readyChannel(
            f.options().disableServiceConfigLookup().defaultServiceConfig(UNARY_2S_WAIT).build());
    f.resolver
        .last()
        .conn
        .updateState(new ResolverState(List.of(address(1)), ECHO_SMALL, Attributes.EMPTY));
    ChannelFixture.startCall(conn, ChannelFixture.UNARY, CallOptions.DEFAULT, "hi");
    assertEquals(Integer.MAX_VALUE, lastCallOptions().getMaxOutboundMessageSize());
    assertTrue(lastCallOptions().isWaitForReady(), "the default config applies");
  }
}
