// Metadata room: PartitionChangeRecord (apiKey 5): what changed in one partition (ISR,
// leader, replicas, recovery state, ELR, directories). Every field but the partition's
// identity is tagged and left out when unchanged.

import NIOCore

/// `PartitionChangeRecord`, apiKey 5, versions 0-2, written at v2.
///
/// Every field except `PartitionId` and `TopicId` is tagged, so a change carries only what
/// changed: null arrays and `Leader` -2 mean "unchanged". Tags: 0 Isr, 1 Leader, 2 Replicas,
/// 3 RemovingReplicas, 4 AddingReplicas, 5 LeaderRecoveryState, 6 EligibleLeaderReplicas
/// (v2+), 7 LastKnownElr (v2+), 8 Directories (v1+). Kafka writes v2 from metadata.version
/// 4.0-IV1 (`MetadataVersion.partitionChangeRecordVersion()`). Brokers merge it into their
/// image as `PartitionRegistration.merge` does (see `MetadataImage`).
public struct PartitionChangeRecord: MetadataRecordCodec {
    public static let apiKey: Int16 = 5
    public static let versions: ClosedRange<Int16> = 0...2
    public var version: Int16 { 2 }

    /// `Leader` when the leader did not change (the schema's default).
    public static let noLeaderChange: Int32 = -2
    /// `Leader` when the partition now has no leader.
    public static let noLeader: Int32 = -1

    public var partitionId: Int32
    public var topicId: Uuid
    /// The new ISR; nil when it did not change.
    public var isr: [Int32]?
    /// -2 (`noLeaderChange`) unchanged, -1 (`noLeader`) no leader, else the new leader. Any
    /// value but -2 bumps the leader epoch, even the same leader id: that is how the
    /// controller asks for a bump (a reassignment that drops replicas).
    public var leader: Int32
    public var replicas: [Int32]?
    public var removingReplicas: [Int32]?
    public var addingReplicas: [Int32]?
    /// nil when unchanged (-1 on the wire).
    public var leaderRecoveryState: LeaderRecoveryState?
    public var directories: [Uuid]?
    public var eligibleLeaderReplicas: [Int32]?
    public var lastKnownElr: [Int32]?

    public init(
        partitionId: Int32, topicId: Uuid, isr: [Int32]? = nil, leader: Int32 = noLeaderChange,
        replicas: [Int32]? = nil, removingReplicas: [Int32]? = nil, addingReplicas: [Int32]? = nil,
        leaderRecoveryState: LeaderRecoveryState? = nil, directories: [Uuid]? = nil,
        eligibleLeaderReplicas: [Int32]? = nil, lastKnownElr: [Int32]? = nil
    ) {
        self.partitionId = partitionId
        self.topicId = topicId
        self.isr = isr
        self.leader = leader
        self.replicas = replicas
        self.removingReplicas = removingReplicas
        self.addingReplicas = addingReplicas
        self.leaderRecoveryState = leaderRecoveryState
        self.directories = directories
        self.eligibleLeaderReplicas = eligibleLeaderReplicas
        self.lastKnownElr = lastKnownElr
    }

    public init(from r: inout WireReader, version: Int16) throws(DecodeError) {
        var change = PartitionChangeRecord(
            partitionId: try r.readInt32("PartitionId"), topicId: try r.readUuid("TopicId"))
        try r.readTaggedFields("PartitionChangeRecord") { tag, t throws(DecodeError) in
            switch tag {
            case 0: change.isr = try t.readNullableCompactInt32s("Isr")
            case 1: change.leader = try t.readInt32("Leader")
            case 2: change.replicas = try t.readNullableCompactInt32s("Replicas")
            case 3: change.removingReplicas = try t.readNullableCompactInt32s("RemovingReplicas")
            case 4: change.addingReplicas = try t.readNullableCompactInt32s("AddingReplicas")
            case 5:
                let raw = try t.readInt8("LeaderRecoveryState")
                if raw != LeaderRecoveryState.noChange {
                    guard let state = LeaderRecoveryState(rawValue: raw) else {
                        throw .invalid(
                            field: "LeaderRecoveryState", reason: "\(raw) is not -1, 0 or 1")
                    }
                    change.leaderRecoveryState = state
                }
            case 6 where version >= 2:
                change.eligibleLeaderReplicas = try t.readNullableCompactInt32s(
                    "EligibleLeaderReplicas")
            case 7 where version >= 2:
                change.lastKnownElr = try t.readNullableCompactInt32s("LastKnownElr")
            case 8 where version >= 1:
                change.directories = try t.readNullableCompactUuids("Directories")
            default: return
            }
            try t.expectEnd("PartitionChangeRecord tag \(tag)")
        }
        self = change
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(partitionId)
        w.writeUuid(topicId)
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if let isr { tags.append(WireWriter.taggedField(0) { $0.writeCompactInt32s(isr) }) }
        if leader != Self.noLeaderChange {
            tags.append(WireWriter.taggedField(1) { $0.writeInt32(leader) })
        }
        if let replicas {
            tags.append(WireWriter.taggedField(2) { $0.writeCompactInt32s(replicas) })
        }
        if let removingReplicas {
            tags.append(WireWriter.taggedField(3) { $0.writeCompactInt32s(removingReplicas) })
        }
        if let addingReplicas {
            tags.append(WireWriter.taggedField(4) { $0.writeCompactInt32s(addingReplicas) })
        }
        if let leaderRecoveryState {
            tags.append(WireWriter.taggedField(5) { $0.writeInt8(leaderRecoveryState.rawValue) })
        }
        if version >= 2, let eligibleLeaderReplicas {
            tags.append(WireWriter.taggedField(6) { $0.writeCompactInt32s(eligibleLeaderReplicas) })
        }
        if version >= 2, let lastKnownElr {
            tags.append(WireWriter.taggedField(7) { $0.writeCompactInt32s(lastKnownElr) })
        }
        if version >= 1, let directories {
            tags.append(WireWriter.taggedField(8) { $0.writeCompactUuids(directories) })
        }
        w.writeTaggedFields(tags)
    }

    /// In the schema's declaration order, as the JSON converter walks it.
    public func fields(version: Int16) -> [(String, String)] {
        var out: [(String, String)] = [
            ("partitionId", String(partitionId)), ("topicId", MetadataJSON.uuid(topicId)),
        ]
        if let isr { out.append(("isr", MetadataJSON.int32s(isr))) }
        if leader != Self.noLeaderChange { out.append(("leader", String(leader))) }
        if let replicas { out.append(("replicas", MetadataJSON.int32s(replicas))) }
        if let removingReplicas {
            out.append(("removingReplicas", MetadataJSON.int32s(removingReplicas)))
        }
        if let addingReplicas {
            out.append(("addingReplicas", MetadataJSON.int32s(addingReplicas)))
        }
        if let leaderRecoveryState {
            out.append(("leaderRecoveryState", String(leaderRecoveryState.rawValue)))
        }
        if version >= 1, let directories {
            out.append(("directories", MetadataJSON.uuids(directories)))
        }
        if version >= 2, let eligibleLeaderReplicas {
            out.append(("eligibleLeaderReplicas", MetadataJSON.int32s(eligibleLeaderReplicas)))
        }
        if version >= 2, let lastKnownElr {
            out.append(("lastKnownElr", MetadataJSON.int32s(lastKnownElr)))
        }
        return out
    }
}
