// Protocol room: SyncGroup (key 14), versions 0-5. v1 adds throttle time; v3 adds
// group_instance_id (KIP-345); v4 is flexible; v5 sends protocol type and name both ways (KIP-559).

import NIOCore

/// After a JoinGroup round, every member asks for its assignment; the leader sends everyone's.
///
/// Followers' requests are parked until the leader's assignment arrives. Mirrors
/// `SyncGroupRequest`.
public struct SyncGroupRequest: KafkaRequest, Equatable {
    public typealias Response = SyncGroupResponse
    public static let apiKey = ApiKey.syncGroup
    public static let versions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 4

    public struct Assignment: Equatable, Sendable {
        public var memberId: String
        public var assignment: ByteBuffer
        public init(memberId: String, assignment: ByteBuffer) {
            self.memberId = memberId
            self.assignment = assignment
        }
    }

    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    public var groupInstanceId: String?
    public var protocolType: String?
    public var protocolName: String?
    /// Empty for followers; the leader's computed assignment for every member.
    public var assignments: [Assignment]

    public init(
        groupId: String, generationId: Int32, memberId: String, groupInstanceId: String? = nil,
        protocolType: String? = nil, protocolName: String? = nil, assignments: [Assignment] = []
    ) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignments = assignments
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 4
        groupId = try reader.readString("group_id", compact: flexible)
        generationId = try reader.readInt32("generation_id")
        memberId = try reader.readString("member_id", compact: flexible)
        groupInstanceId =
            version >= 3
            ? try reader.readNullableString("group_instance_id", compact: flexible) : nil
        protocolType =
            version >= 5 ? try reader.readNullableString("protocol_type", compact: true) : nil
        protocolName =
            version >= 5 ? try reader.readNullableString("protocol_name", compact: true) : nil
        assignments = try reader.readArray("assignments", compact: flexible) {
            r throws(DecodeError) in
            let id = try r.readString("member_id", compact: flexible)
            let bytes = try r.readBytes("assignment", compact: flexible)
            if flexible { try r.readTaggedFields("assignments") }
            return Assignment(memberId: id, assignment: bytes)
        }
        if flexible { try reader.readTaggedFields("SyncGroupRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 4
        writer.writeString(groupId, compact: flexible)
        writer.writeInt32(generationId)
        writer.writeString(memberId, compact: flexible)
        if version >= 3 { writer.writeNullableString(groupInstanceId, compact: flexible) }
        if version >= 5 {
            writer.writeNullableString(protocolType, compact: true)
            writer.writeNullableString(protocolName, compact: true)
        }
        writer.writeArray(assignments, compact: flexible) { w, a in
            w.writeString(a.memberId, compact: flexible)
            w.writeBytes(a.assignment, compact: flexible)
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}

/// One member's assignment (the bytes the leader sent for it), or an error.
public struct SyncGroupResponse: KafkaResponse, Equatable {
    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    public var protocolType: String?
    public var protocolName: String?
    public var assignment: ByteBuffer

    public init(
        throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, protocolType: String? = nil,
        protocolName: String? = nil, assignment: ByteBuffer = ByteBuffer()
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignment = assignment
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 4
        throttleTimeMs = version >= 1 ? try reader.readInt32("throttle_time_ms") : 0
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        protocolType =
            version >= 5 ? try reader.readNullableString("protocol_type", compact: true) : nil
        protocolName =
            version >= 5 ? try reader.readNullableString("protocol_name", compact: true) : nil
        assignment = try reader.readBytes("assignment", compact: flexible)
        if flexible { try reader.readTaggedFields("SyncGroupResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 4
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeInt16(errorCode.rawValue)
        if version >= 5 {
            writer.writeNullableString(protocolType, compact: true)
            writer.writeNullableString(protocolName, compact: true)
        }
        writer.writeBytes(assignment, compact: flexible)
        if flexible { writer.writeTaggedFields() }
    }
}
