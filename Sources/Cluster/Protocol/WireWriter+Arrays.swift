// Protocol room: the writer's side of the shared plain-value arrays, plus the helper that
// builds a tagged field's bytes (KIP-482) before they are written with their tag and size.

import NIOCore

extension WireWriter {
    public mutating func writeInt32Array(_ items: [Int32], compact: Bool) {
        writeArray(items, compact: compact) { w, v in w.writeInt32(v) }
    }

    public mutating func writeUuidArray(_ items: [Uuid], compact: Bool) {
        writeArray(items, compact: compact) { w, v in w.writeUuid(v) }
    }

    public mutating func writeStringArray(_ items: [String], compact: Bool) {
        writeArray(items, compact: compact) { w, v in w.writeString(v, compact: compact) }
    }

    public mutating func writeNullableStringArray(_ items: [String]?, compact: Bool) {
        writeNullableArray(items, compact: compact) { w, v in w.writeString(v, compact: compact) }
    }

    /// One tagged field for `writeTaggedFields`: its tag and the value `body` writes.
    public static func taggedField(_ tag: UInt32, _ body: (inout WireWriter) -> Void) -> (
        tag: UInt32, bytes: ByteBuffer
    ) {
        var writer = WireWriter()
        body(&writer)
        return (tag, writer.buffer)
    }
}
