// Network tests: framing. Goal: frames split across reads reassemble, and a negative or
// oversized size is refused before any of the frame is buffered.

import NIOCore
import NIOEmbedded
import Testing

@testable import Cluster

@Suite struct KafkaFrameDecoderTests {
    func channel(limit: Int = Limits.frameBytesMax) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(frameBytesMax: limit)))
        return channel
    }

    @Test("a frame fed one byte at a time comes out whole, once")
    func byteAtATime() throws {
        let channel = try channel()
        let frame: [UInt8] = [0, 0, 0, 3, 9, 8, 7, 0, 0, 0, 1, 5]
        for b in frame { try channel.writeInbound(buffer([b])) }
        #expect(try channel.readInbound(as: ByteBuffer.self).map(bytes) == [9, 8, 7])
        #expect(try channel.readInbound(as: ByteBuffer.self).map(bytes) == [5])
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
    }

    @Test("a size above socket.request.max.bytes is refused from the size alone")
    func oversized() throws {
        let channel = try channel(limit: 100)
        #expect(throws: FramingError.tooLarge(size: 101, limit: 100)) {
            try channel.writeInbound(buffer([0, 0, 0, 101]))
        }
    }

    @Test("a size of exactly socket.request.max.bytes is accepted and waits for the rest")
    func atTheLimit() throws {
        let channel = try channel(limit: 100)
        try channel.writeInbound(buffer([0, 0, 0, 100] + [UInt8](repeating: 1, count: 99)))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        try channel.writeInbound(buffer([1]))
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == 100)
    }

    @Test("a negative size is refused")
    func negative() throws {
        let channel = try channel()
        #expect(throws: FramingError.negativeSize(-1)) { try channel.writeInbound(buffer([0xFF, 0xFF, 0xFF, 0xFF])) }
    }
}
