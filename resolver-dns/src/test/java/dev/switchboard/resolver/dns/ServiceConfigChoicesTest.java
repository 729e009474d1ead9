package dev.switchboard.resolver.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Choosing among the service configs a DNS TXT record offers. */
class ServiceConfigChoicesTest {
  private static String select(String choices, int draw, String hostname) {
    return ServiceConfigChoices.select(
        List.of("other=1", "grpc_config=" + choices), () -> draw, () -> hostname);
  }

  @Test
  void theFirstChoiceWhoseConditionsHoldWins() {
    String choices =
        "[{\"clientLanguage\": [\"go\", \"c++\"], \"serviceConfig\": {\"n\": 1}},"
            + " {\"clientLanguage\": [\"JAVA\"], \"clientHostname\": [\"other\"],"
            + " \"serviceConfig\": {\"n\": 2}},"
            + " {\"percentage\": 30, \"serviceConfig\": {\"n\": 3}},"
            + " {\"serviceConfig\": {\"n\": 4}}]";
    assertEquals("{\"n\":3}", select(choices, 29, "me"), "in the 30 %");
    assertEquals("{\"n\":4}", select(choices, 30, "me"), "not in the 30 %");
    assertEquals("{\"n\":2}", select(choices, 99, "other"), "language matches any case");
  }

  @Test
  void nothingWhenNoRecordOrNoChoiceApplies() {
    assertNull(ServiceConfigChoices.select(List.of("v=spf1"), () -> 0, () -> "h"));
    assertNull(select("[{\"percentage\": 0, \"serviceConfig\": {}}]", 0, "h"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "[1]",
        "[{\"serviceConfig\": {}, \"extra\": 1}]",
        "[{\"serviceConfig\": 1}]",
        "[{\"percentage\": 101, \"serviceConfig\": {}}]",
        "[{\"percentage\": \"5\", \"serviceConfig\": {}}]",
        "[{\"clientLanguage\": \"java\", \"serviceConfig\": {}}]",
        "[{\"clientHostname\": [1], \"serviceConfig\": {}}]",
        "[{\"serviceConfig\": {}"
      })
  void anInvalidRecordIsRefusedSayingWhy(String choices) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> select(choices, 0, "h"));
    assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
  }
}
