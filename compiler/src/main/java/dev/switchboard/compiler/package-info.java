/**
 * The protoc plugin that generates Switchboard stubs. Not exported.
 *
 * <p>{@link dev.switchboard.compiler.SwitchboardGenerator} runs the plugin protocol; {@link
 * dev.switchboard.compiler.JavaNameResolver} maps proto types to the Java classes protoc's own
 * {@code --java_out} generates for them; {@link dev.switchboard.compiler.ServiceModel} describes a
 * service in Java terms; {@link dev.switchboard.compiler.ServiceClassWriter} (with {@link
 * dev.switchboard.compiler.StubWriter} and {@link dev.switchboard.compiler.ImplBaseWriter}) prints
 * the source, spelling types through {@link dev.switchboard.compiler.ImportPlan}.
 *
 * <p>Errors in the input (a bad parameter, names that cannot be made into distinct Java names) are
 * reported as {@link dev.switchboard.compiler.GenerationException} and end up in the response's
 * {@code error} field, which protoc prints.
 */
package dev.switchboard.compiler;
