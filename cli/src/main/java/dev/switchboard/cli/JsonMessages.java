package dev.switchboard.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonIOException;
import com.google.gson.JsonParseException;
import com.google.gson.JsonStreamParser;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.JsonFormat.TypeRegistry;
import java.io.EOFException;
import java.io.Reader;

/**
 * Messages as proto3 JSON: read one after another from a reader (objects written back to back, or
 * on lines of their own), printed one per line.
 */
final class JsonMessages {
  private final JsonFormat.Parser parser;
  private final JsonFormat.Printer printer;

  JsonMessages(TypeRegistry types) {
    this.parser = JsonFormat.parser().usingTypeRegistry(types);
    this.printer = JsonFormat.printer().usingTypeRegistry(types).omittingInsignificantWhitespace();
  }

  /** Reads the JSON objects of {@code in} as messages of {@code type}, one by one. */
  final class Reading {
    private final JsonStreamParser elements;
    private final Descriptor type;

    Reading(Reader in, Descriptor type) {
      this.elements = new JsonStreamParser(in);
      this.type = type;
    }

    /** {@return the next message, or null at the end of the input} */
    DynamicMessage next() throws CliException {
      try {
        if (!hasNext()) {
          return null;
        }
        JsonElement element = elements.next();
        if (!element.isJsonObject()) {
          throw CliException.failed("request must be a JSON object, not " + element);
        }
        return parse(element.toString(), type);
      } catch (JsonParseException e) {
        throw CliException.failed("bad request JSON: " + e.getMessage());
      }
    }

    /** Whether another element follows; an input without any (empty) has none. */
    private boolean hasNext() {
      try {
        return elements.hasNext();
      } catch (JsonIOException e) {
        if (e.getCause() instanceof EOFException) {
          return false; // gson's way of saying the document is empty
        }
        throw e;
      }
    }
  }

  Reading reading(Reader in, Descriptor type) {
    return new Reading(in, type);
  }

  DynamicMessage parse(String json, Descriptor type) throws CliException {
    DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
    try {
      parser.merge(json, message);
    } catch (InvalidProtocolBufferException e) {
      throw CliException.failed(
          "bad request JSON for " + type.getFullName() + ": " + e.getMessage());
    }
    return message.build();
  }

  String print(MessageOrBuilder message) throws CliException {
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw CliException.failed("cannot print the response as JSON: " + e.getMessage());
    }
  }
}
