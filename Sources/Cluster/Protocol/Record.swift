// Protocol room: one record inside a RecordBatch v2, laid out as Kafka's DefaultRecord.
// Decoding checks every length against the bytes left; encoding is its exact inverse.

import NIOCore

/// One record of a RecordBatch v2 (magic 2), as it sits on the wire and in the log.
///
/// A record stores only deltas: its offset and timestamp are relative to the batch header's
/// `baseOffset` and `baseTimestamp`, which keeps small records small (varints). The layout,
/// after a varint length of the rest, is: attributes int8 (unused, 0), timestampDelta varlong,
/// offsetDelta varint, key (varint length, -1 for null), value (the same), then a varint count
/// of headers, each a key (varint length, never null) and a value (varint length, -1 for null).
/// Mirrors Kafka's `DefaultRecord`.
public struct Record: Equatable, Sendable {
    public var attributes: Int8
    public var timestampDelta: Int64
    public var offsetDelta: Int32
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]

    public init(
        attributes: Int8 = 0, timestampDelta: Int64, offsetDelta: Int32,
        key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = []
    ) {
        self.attributes = attributes
        self.timestampDelta = timestampDelta
        self.offsetDelta = offsetDelta
        self.key = key
        self.value = value
        self.headers = headers
    }

    // MARK: - Decoding

    /// Reads one length-prefixed record. The body must be used up exactly, as Kafka checks
    /// ("Invalid record size: expected to read N bytes in record payload").
    public init(from reader: inout WireReader) throws(DecodeError) {
        let length = try reader.readVarint("Record.length")
        guard length >= 0 else {
            throw .invalid(field: "Record.length", reason: "negative length \(length)")
        }
        var body = WireReader(
            try Self.readSlice(&reader, length: Int(length), field: "Record.body"))
        attributes = try body.readInt8("Record.attributes")
        timestampDelta = try body.readVarlong("Record.timestampDelta")
        offsetDelta = try body.readVarint("Record.offsetDelta")
        key = try Self.readNullableBytes(&body, field: "Record.key")
        value = try Self.readNullableBytes(&body, field: "Record.value")
        headers = try Self.readHeaders(&body)
        guard body.isAtEnd else {
            throw .invalid(
                field: "Record.length", reason: "\(body.remaining) bytes left after the headers")
        }
    }

    private static func readHeaders(_ body: inout WireReader) throws(DecodeError) -> [RecordHeader]
    {
        let count = try body.readVarint("Record.headers")
        guard count >= 0 else {
            throw .invalid(field: "Record.headers", reason: "negative header count \(count)")
        }
        // Each header takes at least two bytes (two varint lengths), so a count above the
        // bytes left is a lie; refuse it before reserving anything.
        guard Int(count) <= body.remaining else {
            throw .invalid(
                field: "Record.headers",
                reason: "\(count) headers declared but \(body.remaining) bytes left")
        }
        guard Int(count) <= Limits.recordHeadersMax else {
            throw .tooLarge(
                field: "Record.headers", size: Int(count), limit: Limits.recordHeadersMax)
        }
        var headers: [RecordHeader] = []
        headers.reserveCapacity(Int(count))
        for _ in 0..<count {
            let keyLength = try body.readVarint("RecordHeader.key")
            guard keyLength >= 0 else {
                throw .invalid(
                    field: "RecordHeader.key", reason: "negative header key size \(keyLength)")
            }
            var keyBytes = try readSlice(&body, length: Int(keyLength), field: "RecordHeader.key")
            // Java decodes header keys with replacement of invalid UTF-8; so do we.
            let key = keyBytes.readString(length: keyBytes.readableBytes) ?? ""
            let value = try readNullableBytes(&body, field: "RecordHeader.value")
            headers.append(RecordHeader(key: key, value: value))
        }
        return headers
    }

    /// A varint length then that many bytes; -1 is null, other negative lengths are refused.
    private static func readNullableBytes(_ reader: inout WireReader, field: String)
        throws(DecodeError) -> [UInt8]?
    {
        let length = try reader.readVarint(field)
        if length == -1 { return nil }
        guard length >= 0 else { throw .invalid(field: field, reason: "negative length \(length)") }
        var slice = try readSlice(&reader, length: Int(length), field: field)
        return slice.readBytes(length: slice.readableBytes) ?? []
    }

    /// Takes `length` raw bytes off the front of `reader` (WireReader has no unprefixed read).
    private static func readSlice(_ reader: inout WireReader, length: Int, field: String)
        throws(DecodeError) -> ByteBuffer
    {
        guard length <= reader.remaining else { throw .truncated(field: field) }
        var rest = reader.readRest()
        guard let slice = rest.readSlice(length: length) else { throw .truncated(field: field) }
        reader = WireReader(rest)
        return slice
    }

    // MARK: - Encoding

    /// The bytes this record takes in a batch, length prefix included.
    public var sizeInBytes: Int {
        let body = bodySize
        return Self.varintSize(Int64(body)) + body
    }

    /// The bytes after the length prefix (`sizeInBytes` less the prefix's varint).
    var bodySize: Int {
        var size = 1 + Self.varintSize(timestampDelta) + Self.varintSize(Int64(offsetDelta))
        size +=
            Self.nullableBytesSize(key?.count) + Self.nullableBytesSize(value?.count)
        size += Self.varintSize(Int64(headers.count))
        for header in headers {
            size +=
                Self.nullableBytesSize(header.key.utf8.count)
                + Self.nullableBytesSize(header.value?.count)
        }
        return size
    }

    /// Appends the record. Sizes come from the caller's own values, not from outside bytes;
    /// a record too large for Kafka's int32 lengths is a programmer bug (the builder checks
    /// `sizeInBytes` against `Limits.batchBytesMax` first).
    public func encode(to writer: inout WireWriter) {
        encode(to: &writer, bodySize: bodySize)
    }

    /// `encode(to:)` with `bodySize` already worked out (a builder has just measured it).
    func encode(to writer: inout WireWriter, bodySize body: Int) {
        precondition(
            body <= Int(Int32.max), "record of \(body) bytes exceeds Kafka's int32 lengths")
        writer.writeVarint(Int32(body))
        writer.writeInt8(attributes)
        writer.writeVarlong(timestampDelta)
        writer.writeVarint(offsetDelta)
        Self.writeNullableBytes(key, to: &writer)
        Self.writeNullableBytes(value, to: &writer)
        writer.writeVarint(Int32(headers.count))
        for header in headers {
            Self.writeNullableBytes(Array(header.key.utf8), to: &writer)
            Self.writeNullableBytes(header.value, to: &writer)
        }
    }

    private static func writeNullableBytes(_ bytes: [UInt8]?, to writer: inout WireWriter) {
        guard let bytes else { return writer.writeVarint(-1) }
        writer.writeVarint(Int32(bytes.count))
        writer.buffer.writeBytes(bytes)
    }

    private static func nullableBytesSize(_ count: Int?) -> Int {
        guard let count else { return 1 }
        return varintSize(Int64(count)) + count
    }

    /// The size of a zig-zag varint/varlong, as Kafka's `ByteUtils.sizeOfVarlong`.
    static func varintSize(_ value: Int64) -> Int {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var size = 1
        while zigzag >= 0x80 {
            zigzag >>= 7
            size += 1
        }
        return size
    }
}
