package dev.switchboard.cli;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;

/**
 * The part of {@code grpc/health/v1/health.proto} the {@code health} command uses, built in code
 * (no generated classes, no dependency on a health module): {@code Health.Check} with its two
 * messages, field for field as published.
 */
final class HealthProtocol {
  /** {@code grpc.health.v1.Health/Check}. */
  static final MethodDescriptor CHECK =
      build().findServiceByName("Health").findMethodByName("Check");

  private HealthProtocol() {}

  private static FileDescriptor build() {
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("grpc/health/v1/health.proto")
            .setPackage("grpc.health.v1")
            .setSyntax("proto3")
            .addMessageType(
                DescriptorProto.newBuilder()
                    .setName("HealthCheckRequest")
                    .addField(
                        FieldDescriptorProto.newBuilder()
                            .setName("service")
                            .setJsonName("service")
                            .setNumber(1)
                            .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)
                            .setType(FieldDescriptorProto.Type.TYPE_STRING)))
            .addMessageType(
                DescriptorProto.newBuilder()
                    .setName("HealthCheckResponse")
                    .addField(
                        FieldDescriptorProto.newBuilder()
                            .setName("status")
                            .setJsonName("status")
                            .setNumber(1)
                            .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)
                            .setType(FieldDescriptorProto.Type.TYPE_ENUM)
                            .setTypeName(".grpc.health.v1.HealthCheckResponse.ServingStatus"))
                    .addEnumType(
                        EnumDescriptorProto.newBuilder()
                            .setName("ServingStatus")
                            .addValue(value("UNKNOWN", 0))
                            .addValue(value("SERVING", 1))
                            .addValue(value("NOT_SERVING", 2))
                            .addValue(value("SERVICE_UNKNOWN", 3))))
            .addService(
                ServiceDescriptorProto.newBuilder()
                    .setName("Health")
                    .addMethod(
                        MethodDescriptorProto.newBuilder()
                            .setName("Check")
                            .setInputType(".grpc.health.v1.HealthCheckRequest")
                            .setOutputType(".grpc.health.v1.HealthCheckResponse")))
            .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[0]);
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static EnumValueDescriptorProto value(String name, int number) {
    return EnumValueDescriptorProto.newBuilder().setName(name).setNumber(number).build();
  }
}
