// Groups room: the value of a group metadata record (GroupMetadataValue, versions 0-4). v1
// adds each member's rebalance timeout, v2 the state timestamp, v3 group_instance_id, v4 is
// flexible. We write v3, as Kafka 3.x/4.x do.

import NIOCore

/// A snapshot of a classic group after a rebalance: generation, protocol, leader, members with
/// their subscription and assignment bytes.
///
/// Written when a generation's assignment is stored (SyncGroup from the leader), when a group
/// empties, and when a static member is replaced; read back to rebuild the group when the
/// coordinator loads its `__consumer_offsets` partition. Mirrors Kafka's `GroupMetadataValue`.
public struct GroupMetadataValue: Equatable, Sendable {
    public static let writtenVersion: Int16 = 3

    public struct MemberMetadata: Equatable, Sendable {
        public var memberId: String
        public var groupInstanceId: String?
        public var clientId: String
        public var clientHost: String
        /// -1 when unknown (v0 records): use the session timeout.
        public var rebalanceTimeout: Int32
        public var sessionTimeout: Int32
        /// The member's metadata for the selected protocol.
        public var subscription: ByteBuffer
        public var assignment: ByteBuffer

        public init(
            memberId: String, groupInstanceId: String? = nil, clientId: String, clientHost: String,
            rebalanceTimeout: Int32, sessionTimeout: Int32, subscription: ByteBuffer,
            assignment: ByteBuffer
        ) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.clientId = clientId
            self.clientHost = clientHost
            self.rebalanceTimeout = rebalanceTimeout
            self.sessionTimeout = sessionTimeout
            self.subscription = subscription
            self.assignment = assignment
        }
    }

    public var protocolType: String
    public var generation: Int32
    /// Kafka's `protocol` field (a Swift keyword): the selected protocol (assignor).
    public var protocolName: String?
    public var leader: String?
    /// Wall-clock milliseconds of the group's last state change; -1 when unknown.
    public var currentStateTimestamp: Int64
    public var members: [MemberMetadata]

    public init(
        protocolType: String, generation: Int32, protocolName: String?, leader: String?,
        currentStateTimestamp: Int64 = -1, members: [MemberMetadata]
    ) {
        self.protocolType = protocolType
        self.generation = generation
        self.protocolName = protocolName
        self.leader = leader
        self.currentStateTimestamp = currentStateTimestamp
        self.members = members
    }

    func encode(to w: inout WireWriter, version: Int16 = GroupMetadataValue.writtenVersion) {
        let flexible = version >= 4
        w.writeInt16(version)
        w.writeString(protocolType, compact: flexible)
        w.writeInt32(generation)
        w.writeNullableString(protocolName, compact: flexible)
        w.writeNullableString(leader, compact: flexible)
        if version >= 2 { w.writeInt64(currentStateTimestamp) }
        w.writeArray(members, compact: flexible) { w, m in
            w.writeString(m.memberId, compact: flexible)
            if version >= 3 { w.writeNullableString(m.groupInstanceId, compact: flexible) }
            w.writeString(m.clientId, compact: flexible)
            w.writeString(m.clientHost, compact: flexible)
            if version >= 1 { w.writeInt32(m.rebalanceTimeout) }
            w.writeInt32(m.sessionTimeout)
            w.writeBytes(m.subscription, compact: flexible)
            w.writeBytes(m.assignment, compact: flexible)
            if flexible { w.writeTaggedFields() }
        }
        if flexible { w.writeTaggedFields() }
    }

    init(from r: inout WireReader) throws(DecodeError) {
        let version = try r.readInt16("group_metadata_value_version")
        guard (0...4).contains(version) else {
            throw .invalid(
                field: "group_metadata_value_version", reason: "unknown version \(version)")
        }
        let flexible = version >= 4
        protocolType = try r.readString("protocolType", compact: flexible)
        generation = try r.readInt32("generation")
        protocolName = try r.readNullableString("protocol", compact: flexible)
        leader = try r.readNullableString("leader", compact: flexible)
        currentStateTimestamp = version >= 2 ? try r.readInt64("currentStateTimestamp") : -1
        members = try r.readArray("members", compact: flexible) { m throws(DecodeError) in
            let memberId = try m.readString("memberId", compact: flexible)
            let instance =
                version >= 3 ? try m.readNullableString("groupInstanceId", compact: flexible) : nil
            let clientId = try m.readString("clientId", compact: flexible)
            let clientHost = try m.readString("clientHost", compact: flexible)
            let rebalance = version >= 1 ? try m.readInt32("rebalanceTimeout") : -1
            let session = try m.readInt32("sessionTimeout")
            let subscription = try m.readBytes("subscription", compact: flexible)
            let assignment = try m.readBytes("assignment", compact: flexible)
            if flexible { try m.readTaggedFields("members") }
            return MemberMetadata(
                memberId: memberId, groupInstanceId: instance, clientId: clientId,
                clientHost: clientHost,
                rebalanceTimeout: rebalance, sessionTimeout: session, subscription: subscription,
                assignment: assignment)
        }
        if flexible { try r.readTaggedFields("GroupMetadataValue") }
    }
}
