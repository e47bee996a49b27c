// Metadata room: PartitionRecord (apiKey 3): a partition's whole state when it is created
// (and in snapshots): replicas, ISR, leader, epochs, directories, eligible leader replicas.

import NIOCore

/// `PartitionRecord`, apiKey 3, versions 0-2, written at v2.
///
/// v1 added `Directories` (KIP-858), one per replica; v2 the tagged `EligibleLeaderReplicas`
/// (tag 1) and `LastKnownElr` (tag 2) of KIP-966. `LeaderRecoveryState` is tagged (tag 0,
/// default 0) in every version. Kafka writes v2 from metadata.version 4.0-IV1
/// (`MetadataVersion.partitionRecordVersion()`).
public struct PartitionRecord: MetadataRecordCodec {
    public static let apiKey: Int16 = 3
    public static let versions: ClosedRange<Int16> = 0...2
    public var version: Int16 { 2 }

    public var partitionId: Int32
    public var topicId: Uuid
    /// Replicas in preferred order: the first is the preferred leader.
    public var replicas: [Int32]
    public var isr: [Int32]
    public var removingReplicas: [Int32]
    public var addingReplicas: [Int32]
    /// The leader's broker id, or -1 for none.
    public var leader: Int32
    public var leaderRecoveryState: LeaderRecoveryState
    public var leaderEpoch: Int32
    public var partitionEpoch: Int32
    /// The log directory of each replica, in `replicas` order (v1+).
    public var directories: [Uuid]
    /// nil is the schema's default and is not written (Kafka sets these only when non-empty).
    public var eligibleLeaderReplicas: [Int32]?
    public var lastKnownElr: [Int32]?

    public init(
        partitionId: Int32, topicId: Uuid, replicas: [Int32], isr: [Int32],
        removingReplicas: [Int32] = [], addingReplicas: [Int32] = [], leader: Int32,
        leaderRecoveryState: LeaderRecoveryState = .recovered, leaderEpoch: Int32,
        partitionEpoch: Int32,
        directories: [Uuid] = [], eligibleLeaderReplicas: [Int32]? = nil,
        lastKnownElr: [Int32]? = nil
    ) {
        self.partitionId = partitionId
        self.topicId = topicId
        self.replicas = replicas
        self.isr = isr
        self.removingReplicas = removingReplicas
        self.addingReplicas = addingReplicas
        self.leader = leader
        self.leaderRecoveryState = leaderRecoveryState
        self.leaderEpoch = leaderEpoch
        self.partitionEpoch = partitionEpoch
        self.directories = directories
        self.eligibleLeaderReplicas = eligibleLeaderReplicas
        self.lastKnownElr = lastKnownElr
    }

    public init(from r: inout WireReader, version: Int16) throws(DecodeError) {
        partitionId = try r.readInt32("PartitionId")
        topicId = try r.readUuid("TopicId")
        replicas = try r.readCompactInt32s("Replicas")
        isr = try r.readCompactInt32s("Isr")
        removingReplicas = try r.readCompactInt32s("RemovingReplicas")
        addingReplicas = try r.readCompactInt32s("AddingReplicas")
        leader = try r.readInt32("Leader")
        leaderEpoch = try r.readInt32("LeaderEpoch")
        partitionEpoch = try r.readInt32("PartitionEpoch")
        directories = try version >= 1 ? r.readCompactUuids("Directories") : []
        var recovery = LeaderRecoveryState.recovered
        var elr: [Int32]? = nil
        var lastKnown: [Int32]? = nil
        try r.readTaggedFields("PartitionRecord") { tag, t throws(DecodeError) in
            switch tag {
            case 0:
                let raw = try t.readInt8("LeaderRecoveryState")
                guard let state = LeaderRecoveryState(rawValue: raw) else {
                    throw .invalid(field: "LeaderRecoveryState", reason: "\(raw) is not 0 or 1")
                }
                recovery = state
            case 1 where version >= 2:
                elr = try t.readNullableCompactInt32s("EligibleLeaderReplicas")
            case 2 where version >= 2: lastKnown = try t.readNullableCompactInt32s("LastKnownElr")
            default: return
            }
            try t.expectEnd("PartitionRecord tag \(tag)")
        }
        leaderRecoveryState = recovery
        eligibleLeaderReplicas = elr
        lastKnownElr = lastKnown
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(partitionId)
        w.writeUuid(topicId)
        w.writeCompactInt32s(replicas)
        w.writeCompactInt32s(isr)
        w.writeCompactInt32s(removingReplicas)
        w.writeCompactInt32s(addingReplicas)
        w.writeInt32(leader)
        w.writeInt32(leaderEpoch)
        w.writeInt32(partitionEpoch)
        if version >= 1 { w.writeCompactUuids(directories) }
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if leaderRecoveryState != .recovered {
            tags.append(WireWriter.taggedField(0) { $0.writeInt8(leaderRecoveryState.rawValue) })
        }
        if version >= 2, let elr = eligibleLeaderReplicas {
            tags.append(WireWriter.taggedField(1) { $0.writeCompactInt32s(elr) })
        }
        if version >= 2, let lastKnownElr {
            tags.append(WireWriter.taggedField(2) { $0.writeCompactInt32s(lastKnownElr) })
        }
        w.writeTaggedFields(tags)
    }

    public func fields(version: Int16) -> [(String, String)] {
        var out: [(String, String)] = [
            ("partitionId", String(partitionId)), ("topicId", MetadataJSON.uuid(topicId)),
            ("replicas", MetadataJSON.int32s(replicas)), ("isr", MetadataJSON.int32s(isr)),
            ("removingReplicas", MetadataJSON.int32s(removingReplicas)),
            ("addingReplicas", MetadataJSON.int32s(addingReplicas)), ("leader", String(leader)),
        ]
        if leaderRecoveryState != .recovered {
            out.append(("leaderRecoveryState", String(leaderRecoveryState.rawValue)))
        }
        out += [("leaderEpoch", String(leaderEpoch)), ("partitionEpoch", String(partitionEpoch))]
        if version >= 1 { out.append(("directories", MetadataJSON.uuids(directories))) }
        if version >= 2, let elr = eligibleLeaderReplicas {
            out.append(("eligibleLeaderReplicas", MetadataJSON.int32s(elr)))
        }
        if version >= 2, let lastKnownElr {
            out.append(("lastKnownElr", MetadataJSON.int32s(lastKnownElr)))
        }
        return out
    }
}
