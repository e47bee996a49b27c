// Groups room: one durable change of the group coordinator, as the key/value bytes of a
// record in the group's __consumer_offsets partition. A null value is a tombstone.

import NIOCore

/// What the coordinator writes to `__consumer_offsets`: an offset commit or a group snapshot.
///
/// The coordinator emits these in `GroupEffects.records`; the integrator appends `keyBytes`
/// and `valueBytes` as one record each to partition `config.offsetsPartition(for: groupId)`,
/// and on load feeds them back through `GroupCoordinator.replay(_:)`. The key's version tells
/// the kind: 0-1 offset commit, 2 group metadata. Mirrors Kafka's `CoordinatorRecord` and
/// `GroupCoordinatorRecordSerde`.
public enum GroupRecord: Equatable, Sendable {
    /// A committed offset; nil value deletes it.
    case offsetCommit(OffsetCommitKey, OffsetCommitValue?)
    /// A group snapshot; nil value deletes the group.
    case groupMetadata(GroupMetadataKey, GroupMetadataValue?)

    public var groupId: String {
        switch self {
        case .offsetCommit(let key, _): return key.group
        case .groupMetadata(let key, _): return key.group
        }
    }

    public var isTombstone: Bool {
        switch self {
        case .offsetCommit(_, let value): return value == nil
        case .groupMetadata(_, let value): return value == nil
        }
    }

    /// The record key: int16 key version, then the key fields.
    public var keyBytes: ByteBuffer {
        var w = WireWriter()
        switch self {
        case .offsetCommit(let key, _): key.encode(to: &w)
        case .groupMetadata(let key, _): key.encode(to: &w)
        }
        return w.buffer
    }

    /// The record value: int16 value version, then the fields; nil for a tombstone.
    public var valueBytes: ByteBuffer? {
        var w = WireWriter()
        switch self {
        case .offsetCommit(_, let value):
            guard let value else { return nil }
            value.encode(to: &w)
        case .groupMetadata(_, let value):
            guard let value else { return nil }
            value.encode(to: &w)
        }
        return w.buffer
    }

    /// Reads a record back from the log. Returns nil for record kinds this coordinator does not
    /// keep (Kafka 4's consumer and share group records use other key versions), so loading
    /// can skip them; throws for bytes that do not parse.
    public static func decode(
        key: ByteBuffer, value: ByteBuffer?
    ) throws(DecodeError) -> GroupRecord? {
        var r = WireReader(key)
        let keyVersion = try r.readInt16("key_version")
        switch keyVersion {
        case 0, 1:
            let k = try OffsetCommitKey(from: &r)
            guard let value else { return .offsetCommit(k, nil) }
            var v = WireReader(value)
            return .offsetCommit(k, try OffsetCommitValue(from: &v))
        case 2:
            let k = try GroupMetadataKey(from: &r)
            guard let value else { return .groupMetadata(k, nil) }
            var v = WireReader(value)
            return .groupMetadata(k, try GroupMetadataValue(from: &v))
        default:
            return nil
        }
    }
}
