// Metadata room: the field shapes metadata records share (broker-id lists, directory ids,
// tagged values), read with the Protocol room's checked primitives.

import NIOCore

extension WireReader {
    /// A compact `[]int32` (replica and ISR lists).
    mutating func readCompactInt32s(_ field: String) throws(DecodeError) -> [Int32] {
        try readArray(field, compact: true) { r throws(DecodeError) in try r.readInt32(field) }
    }

    /// A nullable compact `[]int32`; nil is Kafka's null ("unchanged" in a change record).
    mutating func readNullableCompactInt32s(_ field: String) throws(DecodeError) -> [Int32]? {
        try readNullableArray(field, compact: true) { r throws(DecodeError) in
            try r.readInt32(field)
        }
    }

    /// A compact `[]uuid` (log directory ids).
    mutating func readCompactUuids(_ field: String) throws(DecodeError) -> [Uuid] {
        try readArray(field, compact: true) { r throws(DecodeError) in try r.readUuid(field) }
    }

    mutating func readNullableCompactUuids(_ field: String) throws(DecodeError) -> [Uuid]? {
        try readNullableArray(field, compact: true) { r throws(DecodeError) in
            try r.readUuid(field)
        }
    }

    /// A known tagged field's bytes must be used up exactly: its size prefix said so.
    func expectEnd(_ field: String) throws(DecodeError) {
        guard isAtEnd else {
            throw .invalid(field: field, reason: "\(remaining) bytes left inside the tagged field")
        }
    }
}
