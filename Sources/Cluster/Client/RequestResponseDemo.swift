// Client room: the synchronous side of `demo rest-vs-kafka`: a loopback server that answers
// each request, and a client that waits for every answer before sending the next, like a
// chain of REST calls. The Kafka side of the demo produces through the real cluster.

import NIOCore
import NIOPosix

/// Echoes every frame back: the "service" a synchronous caller waits on.
private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        var out = context.channel.allocator.buffer(capacity: frame.readableBytes + 4)
        out.writeInteger(Int32(frame.readableBytes), endianness: .big)
        out.writeBuffer(&frame)
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }
}

/// N strictly sequential request/response round trips over loopback TCP.
public enum RequestResponseDemo {
    /// The most round trips one run may make (the demo's largest step is 10M).
    public static let roundTripsMax = 10_000_000

    /// Runs `count` round trips of `payloadBytes` each; calls `progress` every 1% and stops
    /// early when the task is cancelled (Ctrl-C) or, given a `budget`, once that much time
    /// has passed. Returns the round trips done and the time.
    public static func run(
        count: Int, payloadBytes: Int = 100, budget: Duration? = nil, group: any EventLoopGroup,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> (done: Int, elapsed: Duration) {
        let total = min(max(count, 0), roundTripsMax)
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(EchoHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        guard let port = server.localAddress?.port else { return (0, .zero) }
        let connection = try await KafkaConnection.connect(host: "127.0.0.1", port: port, group: group)
        defer { Task { await connection.close() } }
        var payload = ByteBuffer()
        payload.writeInteger(Int32(payloadBytes), endianness: .big)
        payload.writeRepeatingByte(0x61, count: payloadBytes)
        let clock = ContinuousClock()
        let start = clock.now
        var done = 0
        let step = max(1, total / 100)
        while done < total {
            if done % 1000 == 0 {
                if Task.isCancelled { break }
                if let budget, clock.now - start >= budget { break }
            }
            _ = try await connection.sendRaw(payload)
            done += 1
            if done % step == 0 { progress(done) }
        }
        return (done, clock.now - start)
    }
}
