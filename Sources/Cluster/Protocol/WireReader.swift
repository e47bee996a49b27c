// Protocol room: reads Kafka's primitive types from request bytes. Every read is checked:
// a short buffer, a negative length or a forged count throws a DecodeError naming the field.

import NIOCore

/// A cursor over one frame's bytes that decodes Kafka's primitive types.
///
/// A value type over a `ByteBuffer` slice, so decoding allocates only what the message keeps.
/// Every length is checked against the bytes left and a named `Limits` bound before anything is
/// allocated. Mirrors Kafka's `Readable`/`ByteBufferAccessor`.
public struct WireReader {
    public private(set) var buffer: ByteBuffer

    public init(_ buffer: ByteBuffer) { self.buffer = buffer }

    public var remaining: Int { buffer.readableBytes }
    public var isAtEnd: Bool { buffer.readableBytes == 0 }

    // MARK: - Fixed-width integers

    public mutating func readInt8(_ field: String) throws(DecodeError) -> Int8 {
        guard let v = buffer.readInteger(as: Int8.self) else { throw .truncated(field: field) }
        return v
    }

    public mutating func readBool(_ field: String) throws(DecodeError) -> Bool {
        try readInt8(field) != 0
    }

    public mutating func readInt16(_ field: String) throws(DecodeError) -> Int16 {
        guard let v = buffer.readInteger(endianness: .big, as: Int16.self) else {
            throw .truncated(field: field)
        }
        return v
    }

    public mutating func readUInt16(_ field: String) throws(DecodeError) -> UInt16 {
        guard let v = buffer.readInteger(endianness: .big, as: UInt16.self) else {
            throw .truncated(field: field)
        }
        return v
    }

    public mutating func readInt32(_ field: String) throws(DecodeError) -> Int32 {
        guard let v = buffer.readInteger(endianness: .big, as: Int32.self) else {
            throw .truncated(field: field)
        }
        return v
    }

    public mutating func readUInt32(_ field: String) throws(DecodeError) -> UInt32 {
        guard let v = buffer.readInteger(endianness: .big, as: UInt32.self) else {
            throw .truncated(field: field)
        }
        return v
    }

    public mutating func readInt64(_ field: String) throws(DecodeError) -> Int64 {
        guard let v = buffer.readInteger(endianness: .big, as: Int64.self) else {
            throw .truncated(field: field)
        }
        return v
    }

    public mutating func readFloat64(_ field: String) throws(DecodeError) -> Double {
        Double(bitPattern: UInt64(bitPattern: try readInt64(field)))
    }

    public mutating func readUuid(_ field: String) throws(DecodeError) -> Uuid {
        let high = try readInt64(field)
        let low = try readInt64(field)
        return Uuid(mostSignificantBits: UInt64(bitPattern: high), leastSignificantBits: UInt64(bitPattern: low))
    }

    // MARK: - Varints

    /// An unsigned LEB128 varint of at most 5 bytes (Kafka's `UNSIGNED_VARINT`).
    public mutating func readUnsignedVarint(_ field: String) throws(DecodeError) -> UInt32 {
        var result: UInt32 = 0
        for shift in stride(from: 0, to: 35, by: 7) {
            guard let byte = buffer.readInteger(as: UInt8.self) else { throw .truncated(field: field) }
            if shift == 28 && byte > 0x0F {
                throw .invalid(field: field, reason: "varint longer than 32 bits")
            }
            result |= UInt32(byte & 0x7F) << UInt32(shift)
            if byte & 0x80 == 0 { return result }
        }
        throw .invalid(field: field, reason: "varint longer than 5 bytes")
    }

    /// An unsigned LEB128 varint of at most 10 bytes.
    public mutating func readUnsignedVarlong(_ field: String) throws(DecodeError) -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            guard let byte = buffer.readInteger(as: UInt8.self) else { throw .truncated(field: field) }
            if shift == 63 && byte > 0x01 {
                throw .invalid(field: field, reason: "varlong longer than 64 bits")
            }
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return result }
        }
        throw .invalid(field: field, reason: "varlong longer than 10 bytes")
    }

    /// A zig-zag signed varint (Kafka's `VARINT`, used inside records).
    public mutating func readVarint(_ field: String) throws(DecodeError) -> Int32 {
        let raw = try readUnsignedVarint(field)
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A zig-zag signed varlong (Kafka's `VARLONG`).
    public mutating func readVarlong(_ field: String) throws(DecodeError) -> Int64 {
        let raw = try readUnsignedVarlong(field)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    // MARK: - Lengths

    /// The length of a string, bytes or array: an int16/int32 or, in flexible versions, an
    /// unsigned varint holding length + 1. Returns nil for null (-1, or compact 0).
    private mutating func readLength(
        _ field: String, compact: Bool, wide: Bool, limit: Int
    ) throws(DecodeError) -> Int? {
        let length: Int
        if compact {
            let raw = try readUnsignedVarint(field)
            if raw == 0 { return nil }
            length = Int(raw) - 1
        } else if wide {
            length = Int(try readInt32(field))
        } else {
            length = Int(try readInt16(field))
        }
        if length == -1 { return nil }
        guard length >= 0 else { throw .invalid(field: field, reason: "negative length \(length)") }
        guard length <= limit else { throw .tooLarge(field: field, size: length, limit: limit) }
        return length
    }

    private mutating func readSlice(_ field: String, length: Int) throws(DecodeError) -> ByteBuffer {
        guard let slice = buffer.readSlice(length: length) else { throw .truncated(field: field) }
        return slice
    }

    // MARK: - Strings and bytes

    public mutating func readNullableString(_ field: String, compact: Bool) throws(DecodeError) -> String? {
        guard let length = try readLength(field, compact: compact, wide: false, limit: Limits.stringBytesMax)
        else { return nil }
        var slice = try readSlice(field, length: length)
        guard let text = slice.readString(length: length) else { throw .truncated(field: field) }
        // Invalid UTF-8 becomes U+FFFD (three bytes per bad byte), as in Java's decoder, so
        // the text can outgrow its wire length; it must still fit a STRING when written back.
        guard text.utf8.count <= Limits.stringBytesMax else {
            throw .tooLarge(field: field, size: text.utf8.count, limit: Limits.stringBytesMax)
        }
        return text
    }

    public mutating func readString(_ field: String, compact: Bool) throws(DecodeError) -> String {
        guard let text = try readNullableString(field, compact: compact) else {
            throw .invalid(field: field, reason: "null where a string is required")
        }
        return text
    }

    public mutating func readNullableBytes(_ field: String, compact: Bool) throws(DecodeError) -> ByteBuffer? {
        guard let length = try readLength(field, compact: compact, wide: true, limit: Limits.frameBytesMax)
        else { return nil }
        return try readSlice(field, length: length)
    }

    public mutating func readBytes(_ field: String, compact: Bool) throws(DecodeError) -> ByteBuffer {
        guard let bytes = try readNullableBytes(field, compact: compact) else {
            throw .invalid(field: field, reason: "null where bytes are required")
        }
        return bytes
    }

    // MARK: - Arrays

    /// Reads an array's element count, refusing counts that cannot fit in the bytes left
    /// (every element of every Kafka array takes at least one byte) before allocating.
    public mutating func readNullableArrayCount(_ field: String, compact: Bool) throws(DecodeError) -> Int? {
        guard let count = try readLength(field, compact: compact, wide: true, limit: Limits.arrayElementsMax)
        else { return nil }
        guard count <= buffer.readableBytes else {
            throw .invalid(field: field, reason: "\(count) elements declared but \(buffer.readableBytes) bytes left")
        }
        return count
    }

    public mutating func readNullableArray<T>(
        _ field: String, compact: Bool, _ element: (inout WireReader) throws(DecodeError) -> T
    ) throws(DecodeError) -> [T]? {
        guard let count = try readNullableArrayCount(field, compact: compact) else { return nil }
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self)) }
        return out
    }

    public mutating func readArray<T>(
        _ field: String, compact: Bool, _ element: (inout WireReader) throws(DecodeError) -> T
    ) throws(DecodeError) -> [T] {
        guard let items = try readNullableArray(field, compact: compact, element) else {
            throw .invalid(field: field, reason: "null where an array is required")
        }
        return items
    }

    // MARK: - Tagged fields (KIP-482)

    /// Reads a flexible version's tagged-field section, handing each known tag's bytes to
    /// `known` and skipping the rest, as Kafka does for tags it does not recognise.
    public mutating func readTaggedFields(
        _ field: String,
        _ known: (UInt32, inout WireReader) throws(DecodeError) -> Void = { _, _ throws(DecodeError) in }
    ) throws(DecodeError) {
        let count = try readUnsignedVarint(field)
        guard count <= UInt32(Limits.taggedFieldsMax) else {
            throw .tooLarge(field: field, size: Int(count), limit: Limits.taggedFieldsMax)
        }
        var lastTag: Int64 = -1
        for _ in 0..<count {
            let tag = try readUnsignedVarint(field)
            guard Int64(tag) > lastTag else {
                throw .invalid(field: field, reason: "tags out of order")
            }
            lastTag = Int64(tag)
            let size = Int(try readUnsignedVarint(field))
            var inner = WireReader(try readSlice(field, length: size))
            try known(tag, &inner)
        }
    }

    /// The unread bytes, consumed (for RECORDS fields and raw payloads).
    public mutating func readRest() -> ByteBuffer {
        buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
    }
}
