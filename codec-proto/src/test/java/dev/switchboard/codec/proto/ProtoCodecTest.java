package dev.switchboard.codec.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Empty;
import com.google.protobuf.GeneratedMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.switchboard.api.Marshaller;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProtoCodecTest {
  private final ProtoCodec codec = ProtoCodec.INSTANCE;

  private static <T> byte[] encode(Marshaller<T> marshaller, T message) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    marshaller.encode(message, out);
    return out.toByteArray();
  }

  /** A stream that, like some transports' streams, does not know how much is left. */
  private static InputStream unknownLength(byte[] bytes) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int available() {
        return 0;
      }
    };
  }

  private static Struct sampleStruct() {
    return Struct.newBuilder()
        .putFields("name", Value.newBuilder().setStringValue("switchboard").build())
        .putFields("port", Value.newBuilder().setNumberValue(50051).build())
        .putFields(
            "tags",
            Value.newBuilder()
                .setListValue(
                    ListValue.newBuilder()
                        .addValues(Value.newBuilder().setStringValue("grpc"))
                        .addValues(Value.newBuilder().setBoolValue(true)))
                .build())
        .build();
  }

  @Test
  void nameIsProto() {
    assertEquals("proto", codec.name());
  }

  @Test
  void roundTripsAStringValue() throws IOException {
    Marshaller<StringValue> marshaller = codec.marshaller(StringValue.class);
    StringValue message = StringValue.of("héllo, wörld");

    byte[] bytes = encode(marshaller, message);

    assertEquals(marshaller.sizeOf(message), bytes.length);
    assertArrayEquals(message.toByteArray(), bytes);
    assertEquals(message, marshaller.decode(new ByteArrayInputStream(bytes)));
  }

  @Test
  void roundTripsAStruct() throws IOException {
    Marshaller<Struct> marshaller = codec.marshaller(Struct.class);
    Struct message = sampleStruct();

    byte[] bytes = encode(marshaller, message);

    assertEquals(message.getSerializedSize(), marshaller.sizeOf(message));
    assertEquals(message, marshaller.decode(new ByteArrayInputStream(bytes)));
  }

  @Test
  void roundTripsAnAnyAndItsPayload() throws IOException {
    Marshaller<Any> marshaller = codec.marshaller(Any.class);
    Timestamp payload = Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(42).build();
    Any message = Any.pack(payload);

    Any decoded = marshaller.decode(new ByteArrayInputStream(encode(marshaller, message)));

    assertEquals(message, decoded);
    assertEquals(payload, decoded.unpack(Timestamp.class));
  }

  @Test
  void emptyMessageIsZeroBytesAndDecodesToTheDefaultInstance() throws IOException {
    Marshaller<Empty> marshaller = codec.marshaller(Empty.class);
    assertEquals(0, marshaller.sizeOf(Empty.getDefaultInstance()));
    assertEquals(0, encode(marshaller, Empty.getDefaultInstance()).length);
    assertSame(
        Empty.getDefaultInstance(), marshaller.decode(new ByteArrayInputStream(new byte[0])));
    assertEquals(
        StringValue.getDefaultInstance(),
        codec.marshaller(StringValue.class).decode(new ByteArrayInputStream(new byte[0])));
  }

  @Test
  void roundTripsA16MibBytesValue() throws IOException {
    byte[] payload = new byte[16 * 1024 * 1024];
    new Random(7).nextBytes(payload);
    BytesValue message = BytesValue.of(ByteString.copyFrom(payload));
    Marshaller<BytesValue> marshaller = codec.marshaller(BytesValue.class);

    byte[] bytes = encode(marshaller, message);
    assertEquals(marshaller.sizeOf(message), bytes.length);
    BytesValue decoded = marshaller.decode(new ByteArrayInputStream(bytes));

    assertEquals(payload.length, decoded.getValue().size());
    assertTrue(decoded.getValue().equals(message.getValue()));
  }

  @Test
  void decodesFromAStreamThatDoesNotKnowItsLength() throws IOException {
    Marshaller<Struct> marshaller = codec.marshaller(Struct.class);
    Struct message = sampleStruct();
    assertEquals(message, marshaller.decode(unknownLength(encode(marshaller, message))));
    assertEquals(Struct.getDefaultInstance(), marshaller.decode(unknownLength(new byte[0])));
  }

  @Test
  void decodesWhenTheStreamHoldsMoreThanItAnnounced() throws IOException {
    Marshaller<StringValue> marshaller = codec.marshaller(StringValue.class);
    byte[] bytes = encode(marshaller, StringValue.of("abcdef"));
    InputStream underReporting =
        new FilterInputStream(new ByteArrayInputStream(bytes)) {
          private boolean first = true;

          @Override
          public int available() throws IOException {
            if (first) {
              first = false;
              return 2;
            }
            return super.available();
          }
        };
    assertEquals(StringValue.of("abcdef"), marshaller.decode(underReporting));
  }

  @Test
  void malformedBytesAreAnInvalidProtocolBufferException() {
    Marshaller<StringValue> marshaller = codec.marshaller(StringValue.class);
    // Field 1, length-delimited, claims 5 bytes but only 1 follows.
    byte[] truncated = {0x0A, 0x05, 'a'};
    // Field 1 with wire type 7, which does not exist.
    byte[] badWireType = {0x0F, 0x01};
    // An end-group tag at the top level.
    byte[] strayEndGroup = {0x0C};

    for (byte[] bytes : new byte[][] {truncated, badWireType, strayEndGroup}) {
      assertThrows(
          InvalidProtocolBufferException.class,
          () -> marshaller.decode(new ByteArrayInputStream(bytes)));
      assertThrows(
          InvalidProtocolBufferException.class, () -> marshaller.decode(unknownLength(bytes)));
    }
  }

  @Test
  void streamShorterThanAnnouncedIsAnIoException() {
    Marshaller<StringValue> marshaller = codec.marshaller(StringValue.class);
    InputStream lying =
        new FilterInputStream(new ByteArrayInputStream(new byte[] {0x0A, 0x00})) {
          @Override
          public int available() {
            return 10;
          }
        };
    assertThrows(IOException.class, () -> marshaller.decode(lying));
  }

  @Test
  void invalidUtf8InAStringFieldIsRejected() {
    Marshaller<StringValue> marshaller = codec.marshaller(StringValue.class);
    byte[] bytes = {0x0A, 0x02, (byte) 0xC3, (byte) 0x28};
    assertThrows(
        InvalidProtocolBufferException.class,
        () -> marshaller.decode(new ByteArrayInputStream(bytes)));
  }

  @Test
  void supportsGeneratedMessageClasses() {
    assertTrue(codec.supports(StringValue.class));
    assertTrue(codec.supports(Struct.class));
    assertTrue(codec.supports(Any.class));
    assertTrue(codec.supports(Empty.class));
  }

  @Test
  void refusesClassesWithoutAGeneratedDefaultInstance() {
    for (Class<?> type :
        new Class<?>[] {
          String.class,
          Object.class,
          MessageLite.class,
          Message.class,
          GeneratedMessage.class,
          DynamicMessage.class,
          int.class,
          byte[].class
        }) {
      assertFalse(codec.supports(type), type.getName());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> codec.marshaller(type));
      assertTrue(e.getMessage().contains(type.getName()), e.getMessage());
    }
    assertFalse(codec.supports(null));
  }

  @Test
  void marshallersAreCachedPerClass() {
    assertSame(codec.marshaller(Struct.class), codec.marshaller(Struct.class));
  }

  @Test
  void encodesStraightIntoDirectAndHeapBuffers() throws IOException {
    Marshaller<Struct> marshaller = codec.marshaller(Struct.class);
    Struct message = sampleStruct();
    byte[] expected = encode(marshaller, message);
    for (java.nio.ByteBuffer target :
        new java.nio.ByteBuffer[] {
          java.nio.ByteBuffer.allocateDirect(expected.length),
          java.nio.ByteBuffer.allocate(expected.length)
        }) {
      assertEquals(expected.length, marshaller.sizeOf(message));
      assertTrue(marshaller.encodeTo(message, target));
      assertFalse(target.hasRemaining(), "filled exactly");
      target.flip();
      byte[] written = new byte[target.remaining()];
      target.get(written);
      assertArrayEquals(expected, written);
    }
  }

  @Test
  void encodeIntoABufferOfTheWrongSizeFails() {
    Marshaller<Struct> marshaller = codec.marshaller(Struct.class);
    Struct message = sampleStruct();
    int size = marshaller.sizeOf(message);
    assertThrows(
        IOException.class,
        () -> marshaller.encodeTo(message, java.nio.ByteBuffer.allocateDirect(size - 1)));
    assertThrows(
        IOException.class,
        () -> marshaller.encodeTo(message, java.nio.ByteBuffer.allocateDirect(size + 1)));
  }

  @Test
  void decodedBytesFieldsDoNotChangeWithTheStream() throws IOException {
    Marshaller<BytesValue> marshaller = codec.marshaller(BytesValue.class);
    byte[] payload = new byte[1000];
    new Random(7).nextBytes(payload);
    byte[] wire = encode(marshaller, BytesValue.of(ByteString.copyFrom(payload)));
    BytesValue decoded = marshaller.decode(new ByteArrayInputStream(wire));
    java.util.Arrays.fill(wire, (byte) 0); // the transport reuses its buffer
    assertArrayEquals(payload, decoded.getValue().toByteArray());
  }
}
