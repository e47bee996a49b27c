// Protocol room: AllocateProducerIds (key 67), version 0, flexible. A broker asks the active
// controller for a block of producer ids to hand to idempotent producers (KIP-730).
//
// v0: the only version (Kafka 3.0); the controller answers with a start and a length.

/// "Broker N, epoch E, needs producer ids." Mirrors Kafka's `AllocateProducerIdsRequestData`.
///
/// The controller writes a `ProducerIdsRecord` moving the cluster's next free id past the
/// block, so no two brokers ever give the same id to two producers.
public struct AllocateProducerIdsRequest: KafkaRequest, Equatable {
    public typealias Response = AllocateProducerIdsResponse
    public static let apiKey = ApiKey.allocateProducerIds
    public static let versions: ClosedRange<Int16> = 0...0
    public static let firstFlexibleVersion: Int16? = 0

    public var brokerId: Int32
    /// The epoch of the requesting broker's registration; -1 (the schema's default) if none.
    public var brokerEpoch: Int64

    public init(brokerId: Int32, brokerEpoch: Int64 = -1) {
        self.brokerId = brokerId
        self.brokerEpoch = brokerEpoch
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        brokerId = try reader.readInt32("broker_id")
        brokerEpoch = try reader.readInt64("broker_epoch")
        try reader.readTaggedFields("AllocateProducerIdsRequest")
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt32(brokerId)
        writer.writeInt64(brokerEpoch)
        writer.writeTaggedFields()
    }
}

/// The block: ids `producerIdStart ..< producerIdStart + producerIdLen`, or an error
/// (STALE_BROKER_EPOCH, NOT_CONTROLLER...). Mirrors `AllocateProducerIdsResponseData`.
public struct AllocateProducerIdsResponse: KafkaResponse, Equatable {
    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    public var producerIdStart: Int64
    public var producerIdLen: Int32

    public init(
        throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, producerIdStart: Int64 = 0,
        producerIdLen: Int32 = 0
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.producerIdStart = producerIdStart
        self.producerIdLen = producerIdLen
    }

    /// The ids handed out, empty on an error (or a length that does not fit).
    public var block: Range<Int64> {
        let (end, overflow) = producerIdStart.addingReportingOverflow(Int64(producerIdLen))
        guard errorCode == .none, producerIdLen > 0, !overflow else { return 0..<0 }
        return producerIdStart..<end
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        producerIdStart = try reader.readInt64("producer_id_start")
        producerIdLen = try reader.readInt32("producer_id_len")
        try reader.readTaggedFields("AllocateProducerIdsResponse")
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt32(throttleTimeMs)
        writer.writeInt16(errorCode.rawValue)
        writer.writeInt64(producerIdStart)
        writer.writeInt32(producerIdLen)
        writer.writeTaggedFields()
    }
}
