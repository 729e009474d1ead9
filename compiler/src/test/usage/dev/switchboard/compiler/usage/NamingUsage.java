package dev.switchboard.compiler.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.switchboard.compiler.LoopbackChannel;
import dev.switchboard.compiler.test.clash.ClashServiceSwitchboard;
import dev.switchboard.compiler.test.editions.Edition2024Proto;
import dev.switchboard.compiler.test.editions.OracleSwitchboard;
import dev.switchboard.compiler.test.editions.Question;
import dev.switchboard.compiler.test.named.LoudEchoSwitchboard;
import dev.switchboard.compiler.test.named.NamedEchoProtos;
import switchboard.test.echo.EchoOuterClass;
import switchboard.test.echo.EchoServiceSwitchboard;

/**
 * Checks that the generated code names protoc's message classes: outer class conflicts, {@code
 * java_outer_classname}, nesting, edition 2024, and messages named like API types. That it
 * compiled is most of the check. Compiled and run by GeneratedCodeTest.
 */
@SuppressWarnings("deprecation") // LoudEcho is a deprecated service
public final class NamingUsage {
  private NamingUsage() {}

  public static void run() {
    assertEquals(EchoOuterClass.Echo.class, EchoServiceSwitchboard.METHOD_SAY.getRequestType());
    assertEquals(EchoOuterClass.Echo.Reply.Detail.class,
        EchoServiceSwitchboard.METHOD_SAY_DETAILED.getResponseType());
    assertEquals(NamedEchoProtos.Shout.class, LoudEchoSwitchboard.METHOD_YELL.getRequestType());
    assertNotNull(LoudEchoSwitchboard.class.getAnnotation(Deprecated.class));
    assertEquals(Question.class, OracleSwitchboard.METHOD_ASK.getRequestType());
    assertEquals(Edition2024Proto.Answer.class, OracleSwitchboard.METHOD_ASK.getResponseType());
    assertEquals(dev.switchboard.compiler.test.clash.Channel.class,
        ClashServiceSwitchboard.METHOD_OPEN.getRequestType());
    assertEquals(dev.switchboard.compiler.test.clash.String.class,
        ClashServiceSwitchboard.METHOD_WATCH.getResponseType());
    assertEquals("switchboard.test.clash.ClashService", ClashServiceSwitchboard.SERVICE_NAME);

    ClashServiceSwitchboard.newBlockingStub(new LoopbackChannel())
        .open(dev.switchboard.compiler.test.clash.Channel.getDefaultInstance());
  }
}
