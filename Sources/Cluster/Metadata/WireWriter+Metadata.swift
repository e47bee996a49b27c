// Metadata room: the writer's side of the field shapes metadata records share (broker-id
// lists, directory ids), so encode and decode of each record read alike.

import NIOCore

extension WireWriter {
    mutating func writeCompactInt32s(_ items: [Int32]) {
        writeArray(items, compact: true) { w, v in w.writeInt32(v) }
    }

    mutating func writeNullableCompactInt32s(_ items: [Int32]?) {
        writeNullableArray(items, compact: true) { w, v in w.writeInt32(v) }
    }

    mutating func writeCompactUuids(_ items: [Uuid]) {
        writeArray(items, compact: true) { w, v in w.writeUuid(v) }
    }

    mutating func writeNullableCompactUuids(_ items: [Uuid]?) {
        writeNullableArray(items, compact: true) { w, v in w.writeUuid(v) }
    }
}
