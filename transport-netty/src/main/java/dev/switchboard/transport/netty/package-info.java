/**
 * The Netty transport: gRPC over HTTP/2 (h2c with prior knowledge) on netty-codec-http2. Not
 * exported; the only public type is {@link dev.switchboard.transport.netty.NettyTransportProvider},
 * found through {@code ServiceLoader} or as an OSGi Declarative Services component.
 *
 * <h2>Structure</h2>
 *
 * <p>Each connection has one {@link io.netty.handler.codec.http2.Http2ConnectionHandler} subclass
 * ({@code ClientHandler} or {@code ServerHandler}, both extending {@code AbstractGrpcHandler}) that
 * owns every HTTP/2 and per-stream state, and one {@code WriteQueue} through which other threads
 * send it immutable commands. Streams ({@code NettyClientStream}, {@code NettyServerStream}) split
 * their state into a part touched by the calling thread (framing, compression choice) and a part
 * touched only on the event loop (the {@code MessageDeframer}, listener callbacks, wire state).
 *
 * <h2>Threading</h2>
 *
 * <p>All Netty state is touched only on the connection's event loop; transport and stream listeners
 * are called there too and must not block. Messages are encoded on the calling thread straight into
 * pooled buffers ({@code MessageFramer}); the event loop only writes them.
 *
 * <h2>Flow control</h2>
 *
 * <p>Inbound: HTTP/2 stream window is returned only for bytes of messages the listener asked for
 * (the message being assembled or delivered), so a slow reader stops the sender after one window.
 * The connection window refills on receipt, as in grpc-go, so one slow stream cannot stall the
 * others. Both are returned once a quarter has arrived or been read. The initial windows come from
 * {@code FlowControl}; with auto-tuning, {@code BdpPinger} raises them from bandwidth-delay product
 * samples ({@code BdpEstimator}). Outbound: a stream is ready while fewer than 32 KiB of its
 * messages are queued or unwritten.
 */
package dev.switchboard.transport.netty;
