package dev.switchboard.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JavaIdentifiersTest {
  @Test
  void fileClassNameCamelCasesTheBaseNameLikeProtoc() {
    assertEquals("FooBar", JavaIdentifiers.fileClassName("foo_bar.proto"));
    assertEquals("FooBar", JavaIdentifiers.fileClassName("dir/sub/foo_bar.proto"));
    assertEquals("FooBar", JavaIdentifiers.fileClassName("fooBar.proto"));
    assertEquals("FOO", JavaIdentifiers.fileClassName("FOO.proto"));
    assertEquals("Test1X", JavaIdentifiers.fileClassName("test-1x.proto"));
    assertEquals("MyFileV2", JavaIdentifiers.fileClassName("my.file.v2.protodevel"));
    assertEquals("NoExtension", JavaIdentifiers.fileClassName("no_extension"));
  }

  @Test
  void methodNameIsLowerCamelCase() {
    assertEquals("unaryCall", JavaIdentifiers.methodName("UnaryCall"));
    assertEquals("listItems", JavaIdentifiers.methodName("list_items"));
    assertEquals("urlFetch", JavaIdentifiers.methodName("URLFetch"));
    assertEquals("url", JavaIdentifiers.methodName("URL"));
    assertEquals("getHTTPStatus", JavaIdentifiers.methodName("GetHTTPStatus"));
    assertEquals("get2Things", JavaIdentifiers.methodName("Get2Things"));
    assertEquals("already", JavaIdentifiers.methodName("already"));
  }

  @Test
  void methodNameEscapesReservedWords() {
    assertEquals("new_", JavaIdentifiers.methodName("New"));
    assertEquals("default_", JavaIdentifiers.methodName("default"));
    assertEquals("null_", JavaIdentifiers.methodName("Null"));
  }

  @Test
  void methodConstantNameIsUpperSnakeCase() {
    assertEquals("METHOD_UNARY_CALL", JavaIdentifiers.methodConstantName("UnaryCall"));
    assertEquals(
        "METHOD_STREAMING_OUTPUT_CALL", JavaIdentifiers.methodConstantName("StreamingOutputCall"));
    assertEquals("METHOD_HTTP_GET", JavaIdentifiers.methodConstantName("HTTPGet"));
    assertEquals("METHOD_GET_URL", JavaIdentifiers.methodConstantName("GetURL"));
    assertEquals("METHOD_LIST_ITEMS", JavaIdentifiers.methodConstantName("list_items"));
    assertEquals("METHOD_V2_CALL", JavaIdentifiers.methodConstantName("V2Call"));
    assertEquals("METHOD_LIST_ITEMS", JavaIdentifiers.methodConstantName("list__items_"));
  }
}
