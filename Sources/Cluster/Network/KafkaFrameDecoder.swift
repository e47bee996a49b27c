// Network room: splits a TCP byte stream into Kafka frames (4-byte big-endian size, then
// that many bytes). A size above socket.request.max.bytes is refused before it is buffered.

import NIOCore

/// Why a connection's byte stream was refused.
public enum FramingError: Error, Equatable {
    case negativeSize(Int32)
    case tooLarge(size: Int, limit: Int)
}

/// A `ByteToMessageDecoder` yielding one `ByteBuffer` per Kafka frame, without the size.
///
/// Mirrors Kafka's `NetworkReceive`: it reads the size first and checks it against
/// `socket.request.max.bytes` (`Limits.frameBytesMax`), so a forged size can never make the
/// broker allocate; the error closes the connection, as Kafka does.
public struct KafkaFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer
    public let frameBytesMax: Int

    public init(frameBytesMax: Int = Limits.frameBytesMax) { self.frameBytesMax = frameBytesMax }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let size = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: Int32.self) else {
            return .needMoreData
        }
        guard size >= 0 else { throw FramingError.negativeSize(size) }
        guard Int(size) <= frameBytesMax else { throw FramingError.tooLarge(size: Int(size), limit: frameBytesMax) }
        guard buffer.readableBytes >= 4 + Int(size) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let frame = buffer.readSlice(length: Int(size)) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
