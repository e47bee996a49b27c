// Protocol room: writes Kafka's primitive types. The mirror of WireReader; encoding the
// same message twice gives the same bytes.

import NIOCore

/// Appends Kafka's primitive types to a `ByteBuffer`. Mirrors Kafka's `Writable`.
public struct WireWriter {
    public var buffer: ByteBuffer

    public init(_ buffer: ByteBuffer = ByteBuffer()) { self.buffer = buffer }

    public mutating func writeInt8(_ v: Int8) { buffer.writeInteger(v) }
    public mutating func writeBool(_ v: Bool) { buffer.writeInteger(Int8(v ? 1 : 0)) }
    public mutating func writeInt16(_ v: Int16) { buffer.writeInteger(v, endianness: .big) }
    public mutating func writeUInt16(_ v: UInt16) { buffer.writeInteger(v, endianness: .big) }
    public mutating func writeInt32(_ v: Int32) { buffer.writeInteger(v, endianness: .big) }
    public mutating func writeUInt32(_ v: UInt32) { buffer.writeInteger(v, endianness: .big) }
    public mutating func writeInt64(_ v: Int64) { buffer.writeInteger(v, endianness: .big) }
    public mutating func writeFloat64(_ v: Double) { writeInt64(Int64(bitPattern: v.bitPattern)) }

    public mutating func writeUuid(_ v: Uuid) {
        writeInt64(Int64(bitPattern: v.mostSignificantBits))
        writeInt64(Int64(bitPattern: v.leastSignificantBits))
    }

    public mutating func writeUnsignedVarint(_ v: UInt32) {
        writeUnsignedVarlong(UInt64(v))
    }

    public mutating func writeUnsignedVarlong(_ v: UInt64) {
        // One-byte values are most lengths and deltas in a batch; longer ones are written
        // in one go, since a write per byte re-checks capacity every time.
        if v < 0x80 {
            buffer.writeInteger(UInt8(truncatingIfNeeded: v))
            return
        }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 10) { out in
            var value = v
            var i = 0
            while value >= 0x80 {
                out[i] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
                i += 1
            }
            out[i] = UInt8(truncatingIfNeeded: value)
            return i + 1
        }
    }

    public mutating func writeVarint(_ v: Int32) {
        writeUnsignedVarint(UInt32(bitPattern: (v << 1) ^ (v >> 31)))
    }

    public mutating func writeVarlong(_ v: Int64) {
        writeUnsignedVarlong(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    /// The length prefix of a string/bytes/array; `nil` writes null.
    private mutating func writeLength(_ length: Int?, compact: Bool, wide: Bool) {
        if compact {
            writeUnsignedVarint(length.map { UInt32($0 + 1) } ?? 0)
        } else if wide {
            writeInt32(length.map { Int32($0) } ?? -1)
        } else {
            writeInt16(length.map { Int16($0) } ?? -1)
        }
    }

    public mutating func writeNullableString(_ v: String?, compact: Bool) {
        guard let v else { return writeLength(nil, compact: compact, wide: false) }
        writeLength(v.utf8.count, compact: compact, wide: false)
        buffer.writeString(v)
    }

    public mutating func writeString(_ v: String, compact: Bool) {
        writeNullableString(v, compact: compact)
    }

    public mutating func writeNullableBytes(_ v: ByteBuffer?, compact: Bool) {
        guard var v else { return writeLength(nil, compact: compact, wide: true) }
        writeLength(v.readableBytes, compact: compact, wide: true)
        buffer.writeBuffer(&v)
    }

    public mutating func writeBytes(_ v: ByteBuffer, compact: Bool) {
        writeNullableBytes(v, compact: compact)
    }

    public mutating func writeNullableArray<T>(
        _ items: [T]?, compact: Bool, _ element: (inout WireWriter, T) -> Void
    ) {
        guard let items else { return writeLength(nil, compact: compact, wide: true) }
        writeLength(items.count, compact: compact, wide: true)
        for item in items { element(&self, item) }
    }

    public mutating func writeArray<T>(_ items: [T], compact: Bool, _ element: (inout WireWriter, T) -> Void) {
        writeNullableArray(items, compact: compact, element)
    }

    /// A tagged-field section. Tags must be given in ascending order, as the protocol requires.
    public mutating func writeTaggedFields(_ fields: [(tag: UInt32, bytes: ByteBuffer)] = []) {
        writeUnsignedVarint(UInt32(fields.count))
        for var field in fields {
            writeUnsignedVarint(field.tag)
            writeUnsignedVarint(UInt32(field.bytes.readableBytes))
            buffer.writeBuffer(&field.bytes)
        }
    }

    public mutating func writeRaw(_ bytes: ByteBuffer) {
        var copy = bytes
        buffer.writeBuffer(&copy)
    }
}
