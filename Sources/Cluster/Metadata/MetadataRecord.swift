// Metadata room: the cluster metadata records (KIP-631) this slice uses, serialised as Kafka's
// metadata log does: frame version, record type and record version as unsigned varints, then
// the record's flexible-version fields.

import NIOCore

/// `RegisterBrokerRecord` (type 0, v1): a broker joined, with its listener.
public struct RegisterBrokerRecord: Equatable, Sendable {
    public var brokerId: Int32
    public var incarnationId: Uuid
    public var brokerEpoch: Int64
    public var host: String
    public var port: UInt16
    public var rack: String?
    public var fenced: Bool
    public var inControlledShutdown: Bool
}

/// `TopicRecord` (type 2): a topic's name and id.
public struct TopicRecord: Equatable, Sendable {
    public var name: String
    public var topicId: Uuid
}

/// `PartitionRecord` (type 3): one partition's replicas, ISR, leader and epochs.
public struct PartitionRecord: Equatable, Sendable {
    public var partitionId: Int32
    public var topicId: Uuid
    public var replicas: [Int32]
    public var isr: [Int32]
    public var leader: Int32
    public var leaderEpoch: Int32
    public var partitionEpoch: Int32
}

/// `ConfigRecord` (type 4): one config key of a resource (type 2 = topic); nil value deletes it.
public struct ConfigRecord: Equatable, Sendable {
    public static let topicResource: Int8 = 2
    public var resourceType: Int8
    public var resourceName: String
    public var name: String
    public var value: String?
}

/// `RemoveTopicRecord` (type 5).
public struct RemoveTopicRecord: Equatable, Sendable {
    public var topicId: Uuid
}

/// `ProducerIdsRecord` (type 15): the controller handed out producer ids below `nextProducerId`.
public struct ProducerIdsRecord: Equatable, Sendable {
    public var brokerId: Int32
    public var brokerEpoch: Int64
    public var nextProducerId: Int64
}

/// One metadata record, as the controller writes it and every broker replays it.
public enum MetadataRecord: Equatable, Sendable {
    case registerBroker(RegisterBrokerRecord)
    case topic(TopicRecord)
    case partition(PartitionRecord)
    case config(ConfigRecord)
    case removeTopic(RemoveTopicRecord)
    case producerIds(ProducerIdsRecord)

    /// Kafka's record type (the schema's apiKey) and the version we write.
    var typeAndVersion: (UInt32, UInt32) {
        switch self {
        case .registerBroker: return (0, 1)
        case .topic: return (2, 0)
        case .partition: return (3, 0)
        case .config: return (4, 0)
        case .removeTopic: return (5, 0)
        case .producerIds: return (15, 0)
        }
    }

    public var typeName: String {
        switch self {
        case .registerBroker: return "RegisterBrokerRecord"
        case .topic: return "TopicRecord"
        case .partition: return "PartitionRecord"
        case .config: return "ConfigRecord"
        case .removeTopic: return "RemoveTopicRecord"
        case .producerIds: return "ProducerIdsRecord"
        }
    }

    public func encode(to w: inout WireWriter) {
        let (type, version) = typeAndVersion
        w.writeUnsignedVarint(1)  // frame version
        w.writeUnsignedVarint(type)
        w.writeUnsignedVarint(version)
        switch self {
        case .registerBroker(let r):
            w.writeInt32(r.brokerId)
            w.writeUuid(r.incarnationId)
            w.writeInt64(r.brokerEpoch)
            w.writeArray([r], compact: true) { w, r in
                w.writeString("PLAINTEXT", compact: true)
                w.writeString(r.host, compact: true)
                w.writeUInt16(r.port)
                w.writeInt16(0)  // PLAINTEXT
                w.writeTaggedFields()
            }
            w.writeArray([Int](), compact: true) { _, _ in }  // features
            w.writeNullableString(r.rack, compact: true)
            w.writeBool(r.fenced)
            w.writeBool(r.inControlledShutdown)
        case .topic(let r):
            w.writeString(r.name, compact: true)
            w.writeUuid(r.topicId)
        case .partition(let r):
            w.writeInt32(r.partitionId)
            w.writeUuid(r.topicId)
            w.writeArray(r.replicas, compact: true) { $0.writeInt32($1) }
            w.writeArray(r.isr, compact: true) { $0.writeInt32($1) }
            w.writeNullableArray([Int32](), compact: true) { $0.writeInt32($1) }  // removing
            w.writeNullableArray([Int32](), compact: true) { $0.writeInt32($1) }  // adding
            w.writeInt32(r.leader)
            w.writeInt32(r.leaderEpoch)
            w.writeInt32(r.partitionEpoch)
        case .config(let r):
            w.writeInt8(r.resourceType)
            w.writeString(r.resourceName, compact: true)
            w.writeString(r.name, compact: true)
            w.writeNullableString(r.value, compact: true)
        case .removeTopic(let r):
            w.writeUuid(r.topicId)
        case .producerIds(let r):
            w.writeInt32(r.brokerId)
            w.writeInt64(r.brokerEpoch)
            w.writeInt64(r.nextProducerId)
        }
        w.writeTaggedFields()
    }

    public init(from r: inout WireReader) throws(DecodeError) {
        let frame = try r.readUnsignedVarint("frame_version")
        guard frame == 1 else { throw .invalid(field: "frame_version", reason: "\(frame) is not 1") }
        let type = try r.readUnsignedVarint("record_type")
        _ = try r.readUnsignedVarint("record_version")
        switch type {
        case 0:
            let brokerId = try r.readInt32("BrokerId")
            let incarnation = try r.readUuid("IncarnationId")
            let epoch = try r.readInt64("BrokerEpoch")
            let endpoints = try r.readArray("EndPoints", compact: true) { (e: inout WireReader) throws(DecodeError) -> (String, UInt16) in
                _ = try e.readString("Name", compact: true)
                let host = try e.readString("Host", compact: true)
                let port = try e.readUInt16("Port")
                _ = try e.readInt16("SecurityProtocol")
                try e.readTaggedFields("EndPoints")
                return (host, port)
            }
            _ = try r.readArray("Features", compact: true) { (e: inout WireReader) throws(DecodeError) in
                _ = try e.readString("Name", compact: true)
                _ = try e.readInt16("MinSupportedVersion")
                _ = try e.readInt16("MaxSupportedVersion")
                try e.readTaggedFields("Features")
            }
            let rack = try r.readNullableString("Rack", compact: true)
            let fenced = try r.readBool("Fenced")
            let shutdown = try r.readBool("InControlledShutdown")
            self = .registerBroker(RegisterBrokerRecord(
                brokerId: brokerId, incarnationId: incarnation, brokerEpoch: epoch,
                host: endpoints.first?.0 ?? "", port: endpoints.first?.1 ?? 0, rack: rack,
                fenced: fenced, inControlledShutdown: shutdown))
        case 2:
            self = .topic(TopicRecord(name: try r.readString("Name", compact: true), topicId: try r.readUuid("TopicId")))
        case 3:
            let id = try r.readInt32("PartitionId")
            let topic = try r.readUuid("TopicId")
            let replicas = try r.readArray("Replicas", compact: true) { (e: inout WireReader) throws(DecodeError) in try e.readInt32("replica") }
            let isr = try r.readArray("Isr", compact: true) { (e: inout WireReader) throws(DecodeError) in try e.readInt32("isr") }
            _ = try r.readNullableArray("RemovingReplicas", compact: true) { (e: inout WireReader) throws(DecodeError) in try e.readInt32("r") }
            _ = try r.readNullableArray("AddingReplicas", compact: true) { (e: inout WireReader) throws(DecodeError) in try e.readInt32("r") }
            self = .partition(PartitionRecord(
                partitionId: id, topicId: topic, replicas: replicas, isr: isr, leader: try r.readInt32("Leader"),
                leaderEpoch: try r.readInt32("LeaderEpoch"), partitionEpoch: try r.readInt32("PartitionEpoch")))
        case 4:
            self = .config(ConfigRecord(
                resourceType: try r.readInt8("ResourceType"), resourceName: try r.readString("ResourceName", compact: true),
                name: try r.readString("Name", compact: true), value: try r.readNullableString("Value", compact: true)))
        case 5:
            self = .removeTopic(RemoveTopicRecord(topicId: try r.readUuid("TopicId")))
        case 15:
            self = .producerIds(ProducerIdsRecord(
                brokerId: try r.readInt32("BrokerId"), brokerEpoch: try r.readInt64("BrokerEpoch"),
                nextProducerId: try r.readInt64("NextProducerId")))
        default:
            throw .invalid(field: "record_type", reason: "unknown metadata record type \(type)")
        }
        try r.readTaggedFields("record")
    }
}
