// Protocol room: FindCoordinator (key 10), versions 0-4. v1 adds key_type, throttle time and
// error messages; v3 is flexible; v4 batches several keys (KIP-699) into coordinator_keys.

import NIOCore

/// "Which broker coordinates this group (or transactional id)?"
///
/// A consumer asks any broker; the answer is the leader of the `__consumer_offsets` partition
/// the group hashes to. Mirrors Kafka's `FindCoordinatorRequest`.
public struct FindCoordinatorRequest: KafkaRequest, Equatable {
    public typealias Response = FindCoordinatorResponse
    public static let apiKey = ApiKey.findCoordinator
    public static let versions: ClosedRange<Int16> = 0...4
    public static let firstFlexibleVersion: Int16? = 3

    /// `key_type` values: a consumer group or a transactional producer.
    public static let keyTypeGroup: Int8 = 0
    public static let keyTypeTransaction: Int8 = 1

    /// The single key of versions 0-3.
    public var key: String
    public var keyType: Int8
    /// The keys of version 4 and later.
    public var coordinatorKeys: [String]

    public init(key: String = "", keyType: Int8 = 0, coordinatorKeys: [String] = []) {
        self.key = key
        self.keyType = keyType
        self.coordinatorKeys = coordinatorKeys
    }

    /// The keys asked about, whatever the version: `[key]` before v4.
    public func keys(version: Int16) -> [String] { version >= 4 ? coordinatorKeys : [key] }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 3
        key = version <= 3 ? try reader.readString("key", compact: flexible) : ""
        keyType = version >= 1 ? try reader.readInt8("key_type") : 0
        coordinatorKeys = []
        if version >= 4 {
            coordinatorKeys = try reader.readArray("coordinator_keys", compact: true) {
                r throws(DecodeError) in
                try r.readString("coordinator_keys", compact: true)
            }
        }
        if flexible { try reader.readTaggedFields("FindCoordinatorRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 3
        if version <= 3 { writer.writeString(key, compact: flexible) }
        if version >= 1 { writer.writeInt8(keyType) }
        if version >= 4 {
            writer.writeArray(coordinatorKeys, compact: true) { w, k in
                w.writeString(k, compact: true)
            }
        }
        if flexible { writer.writeTaggedFields() }
    }
}

/// Where the coordinator is: one answer before v4, one per key from v4.
public struct FindCoordinatorResponse: KafkaResponse, Equatable {
    public struct Coordinator: Equatable, Sendable {
        public var key: String
        public var nodeId: Int32
        public var host: String
        public var port: Int32
        public var errorCode: ErrorCode
        public var errorMessage: String?

        public init(
            key: String, nodeId: Int32, host: String, port: Int32, errorCode: ErrorCode = .none,
            errorMessage: String? = nil
        ) {
            self.key = key
            self.nodeId = nodeId
            self.host = host
            self.port = port
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }
    }

    public var throttleTimeMs: Int32
    /// Versions 0-3: the single answer.
    public var errorCode: ErrorCode
    public var errorMessage: String?
    public var nodeId: Int32
    public var host: String
    public var port: Int32
    /// Version 4 and later: one answer per key.
    public var coordinators: [Coordinator]

    public init(
        throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, errorMessage: String? = nil,
        nodeId: Int32 = -1, host: String = "", port: Int32 = -1, coordinators: [Coordinator] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.nodeId = nodeId
        self.host = host
        self.port = port
        self.coordinators = coordinators
    }

    /// The answer for `version` built from per-key answers: before v4 the first one fills the
    /// top-level fields, as Kafka's `FindCoordinatorResponse.prepareResponse` does.
    public init(version: Int16, coordinators: [Coordinator]) {
        self.init(coordinators: version >= 4 ? coordinators : [])
        if version < 4, let first = coordinators.first {
            errorCode = first.errorCode
            errorMessage = first.errorMessage
            nodeId = first.nodeId
            host = first.host
            port = first.port
        }
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 3
        throttleTimeMs = version >= 1 ? try reader.readInt32("throttle_time_ms") : 0
        errorCode = .none
        errorMessage = nil
        nodeId = -1
        host = ""
        port = -1
        coordinators = []
        if version <= 3 {
            errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
            if version >= 1 {
                errorMessage = try reader.readNullableString("error_message", compact: flexible)
            }
            nodeId = try reader.readInt32("node_id")
            host = try reader.readString("host", compact: flexible)
            port = try reader.readInt32("port")
        } else {
            coordinators = try reader.readArray("coordinators", compact: true) {
                r throws(DecodeError) in
                let key = try r.readString("key", compact: true)
                let nodeId = try r.readInt32("node_id")
                let host = try r.readString("host", compact: true)
                let port = try r.readInt32("port")
                let error = ErrorCode(rawValue: try r.readInt16("error_code"))
                let message = try r.readNullableString("error_message", compact: true)
                try r.readTaggedFields("coordinators")
                return Coordinator(
                    key: key, nodeId: nodeId, host: host, port: port, errorCode: error,
                    errorMessage: message)
            }
        }
        if flexible { try reader.readTaggedFields("FindCoordinatorResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 3
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        if version <= 3 {
            writer.writeInt16(errorCode.rawValue)
            if version >= 1 { writer.writeNullableString(errorMessage, compact: flexible) }
            writer.writeInt32(nodeId)
            writer.writeString(host, compact: flexible)
            writer.writeInt32(port)
        } else {
            writer.writeArray(coordinators, compact: true) { w, c in
                w.writeString(c.key, compact: true)
                w.writeInt32(c.nodeId)
                w.writeString(c.host, compact: true)
                w.writeInt32(c.port)
                w.writeInt16(c.errorCode.rawValue)
                w.writeNullableString(c.errorMessage, compact: true)
                w.writeTaggedFields()
            }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
