// Protocol room: LeaveGroup (key 13), versions 0-5. v1 adds throttle time; v3 turns the single
// member_id into a batch of members with group_instance_id (KIP-345); v4 is flexible; v5 adds
// a reason per member (KIP-800).

/// Members leaving a group on purpose (a clean shutdown, or an admin removing static members).
///
/// Before v3 the request names one member; we read it as a batch of one so the coordinator
/// handles every version alike. Mirrors `LeaveGroupRequest`.
public struct LeaveGroupRequest: KafkaRequest, Equatable {
    public typealias Response = LeaveGroupResponse
    public static let apiKey = ApiKey.leaveGroup
    public static let versions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 4

    public struct MemberIdentity: Equatable, Sendable {
        public var memberId: String
        public var groupInstanceId: String?
        public var reason: String?
        public init(memberId: String, groupInstanceId: String? = nil, reason: String? = nil) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.reason = reason
        }
    }

    public var groupId: String
    /// Versions 0-2 carry exactly one member (its member_id only).
    public var members: [MemberIdentity]

    public init(groupId: String, members: [MemberIdentity]) {
        self.groupId = groupId
        self.members = members
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 4
        groupId = try reader.readString("group_id", compact: flexible)
        if version <= 2 {
            members = [MemberIdentity(memberId: try reader.readString("member_id", compact: false))]
        } else {
            members = try reader.readArray("members", compact: flexible) { r throws(DecodeError) in
                let id = try r.readString("member_id", compact: flexible)
                let instance = try r.readNullableString("group_instance_id", compact: flexible)
                let reason = version >= 5 ? try r.readNullableString("reason", compact: true) : nil
                if flexible { try r.readTaggedFields("members") }
                return MemberIdentity(memberId: id, groupInstanceId: instance, reason: reason)
            }
        }
        if flexible { try reader.readTaggedFields("LeaveGroupRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 4
        writer.writeString(groupId, compact: flexible)
        if version <= 2 {
            writer.writeString(members.first?.memberId ?? "", compact: false)
        } else {
            writer.writeArray(members, compact: flexible) { w, m in
                w.writeString(m.memberId, compact: flexible)
                w.writeNullableString(m.groupInstanceId, compact: flexible)
                if version >= 5 { w.writeNullableString(m.reason, compact: true) }
                if flexible { w.writeTaggedFields() }
            }
        }
        if flexible { writer.writeTaggedFields() }
    }
}

/// A top-level error plus, from v3, one result per leaving member.
public struct LeaveGroupResponse: KafkaResponse, Equatable {
    public struct MemberResponse: Equatable, Sendable {
        public var memberId: String
        public var groupInstanceId: String?
        public var errorCode: ErrorCode
        public init(memberId: String, groupInstanceId: String? = nil, errorCode: ErrorCode = .none)
        {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.errorCode = errorCode
        }
    }

    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    public var members: [MemberResponse]

    public init(
        throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, members: [MemberResponse] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.members = members
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 4
        throttleTimeMs = version >= 1 ? try reader.readInt32("throttle_time_ms") : 0
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        members = []
        if version >= 3 {
            members = try reader.readArray("members", compact: flexible) { r throws(DecodeError) in
                let id = try r.readString("member_id", compact: flexible)
                let instance = try r.readNullableString("group_instance_id", compact: flexible)
                let error = ErrorCode(rawValue: try r.readInt16("error_code"))
                if flexible { try r.readTaggedFields("members") }
                return MemberResponse(memberId: id, groupInstanceId: instance, errorCode: error)
            }
        }
        if flexible { try reader.readTaggedFields("LeaveGroupResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 4
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeInt16(errorCode.rawValue)
        if version >= 3 {
            writer.writeArray(members, compact: flexible) { w, m in
                w.writeString(m.memberId, compact: flexible)
                w.writeNullableString(m.groupInstanceId, compact: flexible)
                w.writeInt16(m.errorCode.rawValue)
                if flexible { w.writeTaggedFields() }
            }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
