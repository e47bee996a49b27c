// Fuzz harness: one input as several requests on one connection, handled in order by one
// broker restarted from the template, so that a Produce meets the Fetch after it and a
// JoinGroup the SyncGroup that follows.

import Cluster
import NIOCore

/// The sequence input format: up to `maxFrames` chunks `[step: UInt8][length: UInt16][frame]`
/// (big-endian length; a short last chunk takes what is left). A non-zero step first moves
/// time on by step × 250 ms and ticks the broker: rebalance delays, session timeouts,
/// retention and long polls then run between requests.
enum FuzzSequence {
    static let maxFrames = 16
    static let stepSpan = Duration.milliseconds(250)

    static func run(_ input: ByteBuffer) {
        var world = FuzzState.template.world()
        for chunk in split(input) {
            if chunk.step > 0 {
                let before = LogInvariants.marks(world.broker)
                FuzzTarget.checkDeferred(world.advance(by: stepSpan * Int(chunk.step)))
                LogInvariants.check(world.broker, since: before)
            }
            FuzzTarget.runFrame(chunk.frame, on: &world)
        }
    }

    static func split(_ input: ByteBuffer) -> [(step: UInt8, frame: ByteBuffer)] {
        var rest = input
        var chunks: [(step: UInt8, frame: ByteBuffer)] = []
        while chunks.count < maxFrames, let step = rest.readInteger(as: UInt8.self),
            let length = rest.readInteger(endianness: .big, as: UInt16.self)
        {
            let frame = rest.readSlice(length: min(Int(length), rest.readableBytes)) ?? ByteBuffer()
            chunks.append((step, frame))
        }
        return chunks
    }

    /// The input that `split` turns back into `chunks` (for seeds).
    static func join(_ chunks: [(step: UInt8, frame: ByteBuffer)]) -> ByteBuffer {
        var out = ByteBuffer()
        for chunk in chunks {
            precondition(chunk.frame.readableBytes <= Int(UInt16.max), "a sequence frame is at most 64 KiB")
            out.writeInteger(chunk.step)
            out.writeInteger(UInt16(chunk.frame.readableBytes), endianness: .big)
            out.writeImmutableBuffer(chunk.frame)
        }
        return out
    }
}
