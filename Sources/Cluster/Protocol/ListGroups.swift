// Protocol room: ListGroups (key 16), versions 0-5. v1 adds throttle time; v3 is flexible;
// v4 adds states_filter and each group's state (KIP-518); v5 adds types_filter and each group's
// type (KIP-848).

/// "Which groups does this coordinator manage?" (what `kafka-consumer-groups.sh --list` sends
/// to every broker). Mirrors `ListGroupsRequest`.
public struct ListGroupsRequest: KafkaRequest, Equatable {
    public typealias Response = ListGroupsResponse
    public static let apiKey = ApiKey.listGroups
    public static let versions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 3

    /// Group states to keep ("Stable", "Empty"...), compared without case; empty keeps all.
    public var statesFilter: [String]
    /// Group types to keep ("classic", "consumer"), compared without case; empty keeps all.
    public var typesFilter: [String]

    public init(statesFilter: [String] = [], typesFilter: [String] = []) {
        self.statesFilter = statesFilter
        self.typesFilter = typesFilter
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        statesFilter = []
        typesFilter = []
        if version >= 4 {
            statesFilter = try reader.readArray("states_filter", compact: true) {
                r throws(DecodeError) in
                try r.readString("states_filter", compact: true)
            }
        }
        if version >= 5 {
            typesFilter = try reader.readArray("types_filter", compact: true) {
                r throws(DecodeError) in
                try r.readString("types_filter", compact: true)
            }
        }
        if version >= 3 { try reader.readTaggedFields("ListGroupsRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        if version >= 4 {
            writer.writeArray(statesFilter, compact: true) { w, s in w.writeString(s, compact: true)
            }
        }
        if version >= 5 {
            writer.writeArray(typesFilter, compact: true) { w, s in w.writeString(s, compact: true)
            }
        }
        if version >= 3 { writer.writeTaggedFields() }
    }
}

/// The groups this coordinator knows, with protocol type, state and type.
public struct ListGroupsResponse: KafkaResponse, Equatable {
    public struct ListedGroup: Equatable, Sendable {
        public var groupId: String
        public var protocolType: String
        public var groupState: String
        public var groupType: String
        public init(
            groupId: String, protocolType: String, groupState: String = "", groupType: String = ""
        ) {
            self.groupId = groupId
            self.protocolType = protocolType
            self.groupState = groupState
            self.groupType = groupType
        }
    }

    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    public var groups: [ListedGroup]

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, groups: [ListedGroup] = [])
    {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.groups = groups
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 3
        throttleTimeMs = version >= 1 ? try reader.readInt32("throttle_time_ms") : 0
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        groups = try reader.readArray("groups", compact: flexible) { r throws(DecodeError) in
            let id = try r.readString("group_id", compact: flexible)
            let type = try r.readString("protocol_type", compact: flexible)
            let state = version >= 4 ? try r.readString("group_state", compact: true) : ""
            let groupType = version >= 5 ? try r.readString("group_type", compact: true) : ""
            if flexible { try r.readTaggedFields("groups") }
            return ListedGroup(
                groupId: id, protocolType: type, groupState: state, groupType: groupType)
        }
        if flexible { try reader.readTaggedFields("ListGroupsResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 3
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeInt16(errorCode.rawValue)
        writer.writeArray(groups, compact: flexible) { w, g in
            w.writeString(g.groupId, compact: flexible)
            w.writeString(g.protocolType, compact: flexible)
            if version >= 4 { w.writeString(g.groupState, compact: true) }
            if version >= 5 { w.writeString(g.groupType, compact: true) }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
