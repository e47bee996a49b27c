// Protocol room: JoinGroup (key 11), versions 0-9. v1 adds rebalance_timeout_ms; v4 makes new
// members rejoin with the id given by MEMBER_ID_REQUIRED (KIP-394); v5 adds group_instance_id
// (static membership, KIP-345); v6 is flexible; v7 returns protocol_type (KIP-559); v8 adds the
// reason (KIP-800); v9 adds skip_assignment to the response.

import NIOCore

/// A member asks to join a classic group's next generation.
///
/// The coordinator parks this request until the rebalance completes, then answers every member
/// at once; the leader's answer carries all members' metadata. Mirrors `JoinGroupRequest`.
public struct JoinGroupRequest: KafkaRequest, Equatable {
    public typealias Response = JoinGroupResponse
    public static let apiKey = ApiKey.joinGroup
    public static let versions: ClosedRange<Int16> = 0...9
    public static let firstFlexibleVersion: Int16? = 6

    /// One protocol the member can speak (for consumers: an assignor name and its subscription).
    public struct GroupProtocol: Equatable, Sendable {
        public var name: String
        public var metadata: ByteBuffer
        public init(name: String, metadata: ByteBuffer) {
            self.name = name
            self.metadata = metadata
        }
    }

    public var groupId: String
    public var sessionTimeoutMs: Int32
    /// -1 when absent (v0); the coordinator then uses the session timeout, as Kafka does.
    public var rebalanceTimeoutMs: Int32
    public var memberId: String
    public var groupInstanceId: String?
    public var protocolType: String
    public var protocols: [GroupProtocol]
    public var reason: String?

    public init(
        groupId: String, sessionTimeoutMs: Int32, rebalanceTimeoutMs: Int32 = -1,
        memberId: String = "",
        groupInstanceId: String? = nil, protocolType: String, protocols: [GroupProtocol],
        reason: String? = nil
    ) {
        self.groupId = groupId
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocols = protocols
        self.reason = reason
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 6
        groupId = try reader.readString("group_id", compact: flexible)
        sessionTimeoutMs = try reader.readInt32("session_timeout_ms")
        rebalanceTimeoutMs = version >= 1 ? try reader.readInt32("rebalance_timeout_ms") : -1
        memberId = try reader.readString("member_id", compact: flexible)
        groupInstanceId =
            version >= 5
            ? try reader.readNullableString("group_instance_id", compact: flexible) : nil
        protocolType = try reader.readString("protocol_type", compact: flexible)
        protocols = try reader.readArray("protocols", compact: flexible) { r throws(DecodeError) in
            let name = try r.readString("name", compact: flexible)
            let metadata = try r.readBytes("metadata", compact: flexible)
            if flexible { try r.readTaggedFields("protocols") }
            return GroupProtocol(name: name, metadata: metadata)
        }
        reason = version >= 8 ? try reader.readNullableString("reason", compact: true) : nil
        if flexible { try reader.readTaggedFields("JoinGroupRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 6
        writer.writeString(groupId, compact: flexible)
        writer.writeInt32(sessionTimeoutMs)
        if version >= 1 { writer.writeInt32(rebalanceTimeoutMs) }
        writer.writeString(memberId, compact: flexible)
        if version >= 5 { writer.writeNullableString(groupInstanceId, compact: flexible) }
        writer.writeString(protocolType, compact: flexible)
        writer.writeArray(protocols, compact: flexible) { w, p in
            w.writeString(p.name, compact: flexible)
            w.writeBytes(p.metadata, compact: flexible)
            if flexible { w.writeTaggedFields() }
        }
        if version >= 8 { writer.writeNullableString(reason, compact: true) }
        if flexible { writer.writeTaggedFields() }
    }
}

/// The coordinator's answer once the join phase ends (or at once, for an error).
public struct JoinGroupResponse: KafkaResponse, Equatable {
    public struct Member: Equatable, Sendable {
        public var memberId: String
        public var groupInstanceId: String?
        public var metadata: ByteBuffer
        public init(memberId: String, groupInstanceId: String? = nil, metadata: ByteBuffer) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.metadata = metadata
        }
    }

    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    public var generationId: Int32
    /// v7+; null in errors.
    public var protocolType: String?
    /// Nullable from v7; older versions send "" for null.
    public var protocolName: String?
    public var leader: String
    public var skipAssignment: Bool
    public var memberId: String
    /// Filled for the leader only.
    public var members: [Member]

    public init(
        throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, generationId: Int32 = -1,
        protocolType: String? = nil, protocolName: String? = nil, leader: String = "",
        skipAssignment: Bool = false, memberId: String = "", members: [Member] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.generationId = generationId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.leader = leader
        self.skipAssignment = skipAssignment
        self.memberId = memberId
        self.members = members
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 6
        throttleTimeMs = version >= 2 ? try reader.readInt32("throttle_time_ms") : 0
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        generationId = try reader.readInt32("generation_id")
        protocolType =
            version >= 7 ? try reader.readNullableString("protocol_type", compact: true) : nil
        if version >= 7 {
            protocolName = try reader.readNullableString("protocol_name", compact: true)
        } else {
            protocolName = try reader.readString("protocol_name", compact: flexible)
        }
        leader = try reader.readString("leader", compact: flexible)
        skipAssignment = version >= 9 ? try reader.readBool("skip_assignment") : false
        memberId = try reader.readString("member_id", compact: flexible)
        members = try reader.readArray("members", compact: flexible) { r throws(DecodeError) in
            let id = try r.readString("member_id", compact: flexible)
            let instance =
                version >= 5
                ? try r.readNullableString("group_instance_id", compact: flexible) : nil
            let metadata = try r.readBytes("metadata", compact: flexible)
            if flexible { try r.readTaggedFields("members") }
            return Member(memberId: id, groupInstanceId: instance, metadata: metadata)
        }
        if flexible { try reader.readTaggedFields("JoinGroupResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 6
        if version >= 2 { writer.writeInt32(throttleTimeMs) }
        writer.writeInt16(errorCode.rawValue)
        writer.writeInt32(generationId)
        if version >= 7 {
            writer.writeNullableString(protocolType, compact: true)
            writer.writeNullableString(protocolName, compact: true)
        } else {
            writer.writeString(protocolName ?? "", compact: flexible)
        }
        writer.writeString(leader, compact: flexible)
        if version >= 9 { writer.writeBool(skipAssignment) }
        writer.writeString(memberId, compact: flexible)
        writer.writeArray(members, compact: flexible) { w, m in
            w.writeString(m.memberId, compact: flexible)
            if version >= 5 { w.writeNullableString(m.groupInstanceId, compact: flexible) }
            w.writeBytes(m.metadata, compact: flexible)
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
