// Protocol room: DescribeGroups (key 15), versions 0-5. v1 adds throttle time; v3 authorized
// operations; v4 each member's group_instance_id; v5 is flexible.

import NIOCore

/// "Tell me everything about these groups": state, protocol, members and their assignments
/// (what `kafka-consumer-groups.sh --describe --members` shows). Mirrors `DescribeGroupsRequest`.
public struct DescribeGroupsRequest: KafkaRequest, Equatable {
    public typealias Response = DescribeGroupsResponse
    public static let apiKey = ApiKey.describeGroups
    public static let versions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 5

    public var groups: [String]
    public var includeAuthorizedOperations: Bool

    public init(groups: [String], includeAuthorizedOperations: Bool = false) {
        self.groups = groups
        self.includeAuthorizedOperations = includeAuthorizedOperations
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 5
        groups = try reader.readArray("groups", compact: flexible) { r throws(DecodeError) in
            try r.readString("groups", compact: flexible)
        }
        includeAuthorizedOperations =
            version >= 3 ? try reader.readBool("include_authorized_operations") : false
        if flexible { try reader.readTaggedFields("DescribeGroupsRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 5
        writer.writeArray(groups, compact: flexible) { w, g in w.writeString(g, compact: flexible) }
        if version >= 3 { writer.writeBool(includeAuthorizedOperations) }
        if flexible { writer.writeTaggedFields() }
    }
}

/// One described group per requested id; an unknown group is described as "Dead".
public struct DescribeGroupsResponse: KafkaResponse, Equatable {
    /// Kafka's "not requested" value for authorized_operations.
    public static let authorizedOperationsOmitted = Int32.min

    public struct Member: Equatable, Sendable {
        public var memberId: String
        public var groupInstanceId: String?
        public var clientId: String
        public var clientHost: String
        /// Only while the group is Stable; empty otherwise.
        public var memberMetadata: ByteBuffer
        public var memberAssignment: ByteBuffer
        public init(
            memberId: String, groupInstanceId: String? = nil, clientId: String, clientHost: String,
            memberMetadata: ByteBuffer = ByteBuffer(), memberAssignment: ByteBuffer = ByteBuffer()
        ) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.clientId = clientId
            self.clientHost = clientHost
            self.memberMetadata = memberMetadata
            self.memberAssignment = memberAssignment
        }
    }

    public struct DescribedGroup: Equatable, Sendable {
        public var errorCode: ErrorCode
        public var groupId: String
        public var groupState: String
        public var protocolType: String
        /// The selected protocol (assignor) name while Stable; "" otherwise.
        public var protocolData: String
        public var members: [Member]
        public var authorizedOperations: Int32
        public init(
            errorCode: ErrorCode = .none, groupId: String, groupState: String = "",
            protocolType: String = "",
            protocolData: String = "", members: [Member] = [],
            authorizedOperations: Int32 = DescribeGroupsResponse.authorizedOperationsOmitted
        ) {
            self.errorCode = errorCode
            self.groupId = groupId
            self.groupState = groupState
            self.protocolType = protocolType
            self.protocolData = protocolData
            self.members = members
            self.authorizedOperations = authorizedOperations
        }
    }

    public var throttleTimeMs: Int32
    public var groups: [DescribedGroup]

    public init(throttleTimeMs: Int32 = 0, groups: [DescribedGroup]) {
        self.throttleTimeMs = throttleTimeMs
        self.groups = groups
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 5
        throttleTimeMs = version >= 1 ? try reader.readInt32("throttle_time_ms") : 0
        groups = try reader.readArray("groups", compact: flexible) { r throws(DecodeError) in
            let error = ErrorCode(rawValue: try r.readInt16("error_code"))
            let id = try r.readString("group_id", compact: flexible)
            let state = try r.readString("group_state", compact: flexible)
            let type = try r.readString("protocol_type", compact: flexible)
            let data = try r.readString("protocol_data", compact: flexible)
            let members = try r.readArray("members", compact: flexible) { m throws(DecodeError) in
                let memberId = try m.readString("member_id", compact: flexible)
                let instance =
                    version >= 4
                    ? try m.readNullableString("group_instance_id", compact: flexible) : nil
                let clientId = try m.readString("client_id", compact: flexible)
                let host = try m.readString("client_host", compact: flexible)
                let metadata = try m.readBytes("member_metadata", compact: flexible)
                let assignment = try m.readBytes("member_assignment", compact: flexible)
                if flexible { try m.readTaggedFields("members") }
                return Member(
                    memberId: memberId, groupInstanceId: instance, clientId: clientId,
                    clientHost: host,
                    memberMetadata: metadata, memberAssignment: assignment)
            }
            let operations =
                version >= 3
                ? try r.readInt32("authorized_operations") : Self.authorizedOperationsOmitted
            if flexible { try r.readTaggedFields("groups") }
            return DescribedGroup(
                errorCode: error, groupId: id, groupState: state, protocolType: type,
                protocolData: data,
                members: members, authorizedOperations: operations)
        }
        if flexible { try reader.readTaggedFields("DescribeGroupsResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 5
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(groups, compact: flexible) { w, g in
            w.writeInt16(g.errorCode.rawValue)
            w.writeString(g.groupId, compact: flexible)
            w.writeString(g.groupState, compact: flexible)
            w.writeString(g.protocolType, compact: flexible)
            w.writeString(g.protocolData, compact: flexible)
            w.writeArray(g.members, compact: flexible) { w, m in
                w.writeString(m.memberId, compact: flexible)
                if version >= 4 { w.writeNullableString(m.groupInstanceId, compact: flexible) }
                w.writeString(m.clientId, compact: flexible)
                w.writeString(m.clientHost, compact: flexible)
                w.writeBytes(m.memberMetadata, compact: flexible)
                w.writeBytes(m.memberAssignment, compact: flexible)
                if flexible { w.writeTaggedFields() }
            }
            if version >= 3 { w.writeInt32(g.authorizedOperations) }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
