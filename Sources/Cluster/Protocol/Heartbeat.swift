// Protocol room: Heartbeat (key 12), versions 0-4. v1 adds throttle time; v3 adds
// group_instance_id (KIP-345); v4 is flexible.

/// "I am still alive, in this generation." Keeps a member's session from expiring.
///
/// During a rebalance the answer is REBALANCE_IN_PROGRESS, which is how members learn they
/// must rejoin. Mirrors `HeartbeatRequest`.
public struct HeartbeatRequest: KafkaRequest, Equatable {
    public typealias Response = HeartbeatResponse
    public static let apiKey = ApiKey.heartbeat
    public static let versions: ClosedRange<Int16> = 0...4
    public static let firstFlexibleVersion: Int16? = 4

    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    public var groupInstanceId: String?

    public init(
        groupId: String, generationId: Int32, memberId: String, groupInstanceId: String? = nil
    ) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 4
        groupId = try reader.readString("group_id", compact: flexible)
        generationId = try reader.readInt32("generation_id")
        memberId = try reader.readString("member_id", compact: flexible)
        groupInstanceId =
            version >= 3
            ? try reader.readNullableString("group_instance_id", compact: flexible) : nil
        if flexible { try reader.readTaggedFields("HeartbeatRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 4
        writer.writeString(groupId, compact: flexible)
        writer.writeInt32(generationId)
        writer.writeString(memberId, compact: flexible)
        if version >= 3 { writer.writeNullableString(groupInstanceId, compact: flexible) }
        if flexible { writer.writeTaggedFields() }
    }
}

/// Just an error code: NONE, REBALANCE_IN_PROGRESS, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION...
public struct HeartbeatResponse: KafkaResponse, Equatable {
    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        throttleTimeMs = version >= 1 ? try reader.readInt32("throttle_time_ms") : 0
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        if version >= 4 { try reader.readTaggedFields("HeartbeatResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeInt16(errorCode.rawValue)
        if version >= 4 { writer.writeTaggedFields() }
    }
}
