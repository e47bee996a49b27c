// Groups room: the key of a group metadata record in __consumer_offsets (GroupMetadataKey,
// key version 2).

/// Which group a group metadata record describes. Mirrors Kafka's `GroupMetadataKey`.
public struct GroupMetadataKey: Hashable, Sendable {
    public static let keyVersion: Int16 = 2

    public var group: String

    public init(group: String) { self.group = group }

    func encode(to w: inout WireWriter) {
        w.writeInt16(Self.keyVersion)
        w.writeString(group, compact: false)
    }

    init(from r: inout WireReader) throws(DecodeError) {
        group = try r.readString("group", compact: false)
    }
}
