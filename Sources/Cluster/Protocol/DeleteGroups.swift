// Protocol room: DeleteGroups (key 42), versions 0-2. v1 changes only throttling behaviour;
// v2 is flexible.

/// Removes empty groups and all their committed offsets (what
/// `kafka-consumer-groups.sh --delete` sends). Mirrors `DeleteGroupsRequest`.
public struct DeleteGroupsRequest: KafkaRequest, Equatable {
    public typealias Response = DeleteGroupsResponse
    public static let apiKey = ApiKey.deleteGroups
    public static let versions: ClosedRange<Int16> = 0...2
    public static let firstFlexibleVersion: Int16? = 2

    public var groupsNames: [String]

    public init(groupsNames: [String]) { self.groupsNames = groupsNames }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 2
        groupsNames = try reader.readArray("groups_names", compact: flexible) {
            r throws(DecodeError) in
            try r.readString("groups_names", compact: flexible)
        }
        if flexible { try reader.readTaggedFields("DeleteGroupsRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeArray(groupsNames, compact: flexible) { w, g in
            w.writeString(g, compact: flexible)
        }
        if flexible { writer.writeTaggedFields() }
    }
}

/// One error code per group: NONE, GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, NOT_COORDINATOR...
public struct DeleteGroupsResponse: KafkaResponse, Equatable {
    public struct Result: Equatable, Sendable {
        public var groupId: String
        public var errorCode: ErrorCode
        public init(groupId: String, errorCode: ErrorCode = .none) {
            self.groupId = groupId
            self.errorCode = errorCode
        }
    }

    public var throttleTimeMs: Int32
    public var results: [Result]

    public init(throttleTimeMs: Int32 = 0, results: [Result]) {
        self.throttleTimeMs = throttleTimeMs
        self.results = results
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 2
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        results = try reader.readArray("results", compact: flexible) { r throws(DecodeError) in
            let id = try r.readString("group_id", compact: flexible)
            let error = ErrorCode(rawValue: try r.readInt16("error_code"))
            if flexible { try r.readTaggedFields("results") }
            return Result(groupId: id, errorCode: error)
        }
        if flexible { try reader.readTaggedFields("DeleteGroupsResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 2
        writer.writeInt32(throttleTimeMs)
        writer.writeArray(results, compact: flexible) { w, r in
            w.writeString(r.groupId, compact: flexible)
            w.writeInt16(r.errorCode.rawValue)
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
