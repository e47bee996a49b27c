// Protocol room: DescribeCluster (key 60), versions 0-2, flexible at every version. The
// admin client's view of the cluster: its id, the controller and the brokers (KIP-700).
//
// v0: the first version, flexible from the start.  v1: endpoint_type, to describe brokers
// (1) or controllers (2); may return MISMATCHED_ENDPOINT_TYPE or UNSUPPORTED_ENDPOINT_TYPE
// (KIP-919).  v2: include_fenced_brokers, and is_fenced on each broker (KIP-1073).

/// "Describe the cluster." Mirrors Kafka's `DescribeClusterRequestData`.
public struct DescribeClusterRequest: KafkaRequest, Equatable {
    public typealias Response = DescribeClusterResponse
    public static let apiKey = ApiKey.describeCluster
    public static let versions: ClosedRange<Int16> = 0...2
    public static let firstFlexibleVersion: Int16? = 0

    public static let brokersEndpointType: Int8 = 1
    public static let controllersEndpointType: Int8 = 2

    public var includeClusterAuthorizedOperations: Bool
    /// v1+.
    public var endpointType: Int8
    /// v2+.
    public var includeFencedBrokers: Bool

    public init(
        includeClusterAuthorizedOperations: Bool = false,
        endpointType: Int8 = DescribeClusterRequest.brokersEndpointType,
        includeFencedBrokers: Bool = false
    ) {
        self.includeClusterAuthorizedOperations = includeClusterAuthorizedOperations
        self.endpointType = endpointType
        self.includeFencedBrokers = includeFencedBrokers
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        includeClusterAuthorizedOperations = try reader.readBool(
            "include_cluster_authorized_operations")
        endpointType =
            version >= 1 ? try reader.readInt8("endpoint_type") : Self.brokersEndpointType
        includeFencedBrokers = version >= 2 ? try reader.readBool("include_fenced_brokers") : false
        try reader.readTaggedFields("DescribeClusterRequest")
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeBool(includeClusterAuthorizedOperations)
        if version >= 1 { writer.writeInt8(endpointType) }
        if version >= 2 { writer.writeBool(includeFencedBrokers) }
        writer.writeTaggedFields()
    }
}

/// The cluster id, the controller and the brokers. Mirrors `DescribeClusterResponseData`.
public struct DescribeClusterResponse: KafkaResponse, Equatable {
    /// Kafka's `DescribeClusterBroker`.
    public struct Broker: Equatable, Sendable {
        public var brokerId: Int32
        public var host: String
        public var port: Int32
        public var rack: String?
        /// v2+.
        public var isFenced: Bool

        public init(
            brokerId: Int32, host: String, port: Int32, rack: String? = nil, isFenced: Bool = false
        ) {
            self.brokerId = brokerId
            self.host = host
            self.port = port
            self.rack = rack
            self.isFenced = isFenced
        }
    }

    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    public var errorMessage: String?
    /// v1+.
    public var endpointType: Int8
    public var clusterId: String
    public var controllerId: Int32
    public var brokers: [Broker]
    /// `Int32.min` when not computed.
    public var clusterAuthorizedOperations: Int32

    public init(
        throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, errorMessage: String? = nil,
        endpointType: Int8 = DescribeClusterRequest.brokersEndpointType, clusterId: String = "",
        controllerId: Int32 = -1, brokers: [Broker] = [],
        clusterAuthorizedOperations: Int32 = Int32.min
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.endpointType = endpointType
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.brokers = brokers
        self.clusterAuthorizedOperations = clusterAuthorizedOperations
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        errorMessage = try reader.readNullableString("error_message", compact: true)
        endpointType =
            version >= 1
            ? try reader.readInt8("endpoint_type") : DescribeClusterRequest.brokersEndpointType
        clusterId = try reader.readString("cluster_id", compact: true)
        controllerId = try reader.readInt32("controller_id")
        brokers = try reader.readArray("brokers", compact: true) { r throws(DecodeError) in
            let brokerId = try r.readInt32("broker_id")
            let host = try r.readString("host", compact: true)
            let port = try r.readInt32("port")
            let rack = try r.readNullableString("rack", compact: true)
            let fenced = version >= 2 ? try r.readBool("is_fenced") : false
            try r.readTaggedFields("brokers")
            return Broker(brokerId: brokerId, host: host, port: port, rack: rack, isFenced: fenced)
        }
        clusterAuthorizedOperations = try reader.readInt32("cluster_authorized_operations")
        try reader.readTaggedFields("DescribeClusterResponse")
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt32(throttleTimeMs)
        writer.writeInt16(errorCode.rawValue)
        writer.writeNullableString(errorMessage, compact: true)
        if version >= 1 { writer.writeInt8(endpointType) }
        writer.writeString(clusterId, compact: true)
        writer.writeInt32(controllerId)
        writer.writeArray(brokers, compact: true) { w, b in
            w.writeInt32(b.brokerId)
            w.writeString(b.host, compact: true)
            w.writeInt32(b.port)
            w.writeNullableString(b.rack, compact: true)
            if version >= 2 { w.writeBool(b.isFenced) }
            w.writeTaggedFields()
        }
        writer.writeInt32(clusterAuthorizedOperations)
        writer.writeTaggedFields()
    }
}
