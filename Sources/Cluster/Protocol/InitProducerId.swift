// Protocol room: InitProducerId (key 22), versions 0-5, flexible from v2. An idempotent or
// transactional producer asks for its producer id and epoch before its first batch.
//
// v1: responses are sent before throttling.  v2: flexible.  v3: producer_id and
// producer_epoch in the request, so a producer can resume after INVALID_PRODUCER_EPOCH
// (KIP-360).  v4: may return PRODUCER_FENCED.  v5: may return TRANSACTION_ABORTABLE (KIP-890).

/// "Give me a producer id (and bump my epoch)." Mirrors `InitProducerIdRequestData`.
public struct InitProducerIdRequest: KafkaRequest, Equatable {
    public typealias Response = InitProducerIdResponse
    public static let apiKey = ApiKey.initProducerId
    public static let versions: ClosedRange<Int16> = 0...5
    public static let firstFlexibleVersion: Int16? = 2

    /// nil for an idempotent producer that is not transactional.
    public var transactionalId: String?
    public var transactionTimeoutMs: Int32
    /// v3+; -1 for a new producer.
    public var producerId: Int64
    /// v3+; -1 for a new producer.
    public var producerEpoch: Int16

    public init(
        transactionalId: String? = nil, transactionTimeoutMs: Int32 = 60_000,
        producerId: Int64 = -1, producerEpoch: Int16 = -1
    ) {
        self.transactionalId = transactionalId
        self.transactionTimeoutMs = transactionTimeoutMs
        self.producerId = producerId
        self.producerEpoch = producerEpoch
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        transactionalId = try reader.readNullableString("transactional_id", compact: flexible)
        transactionTimeoutMs = try reader.readInt32("transaction_timeout_ms")
        producerId = version >= 3 ? try reader.readInt64("producer_id") : -1
        producerEpoch = version >= 3 ? try reader.readInt16("producer_epoch") : -1
        if flexible { try reader.readTaggedFields("InitProducerIdRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        writer.writeNullableString(transactionalId, compact: flexible)
        writer.writeInt32(transactionTimeoutMs)
        if version >= 3 {
            writer.writeInt64(producerId)
            writer.writeInt16(producerEpoch)
        }
        if flexible { writer.writeTaggedFields() }
    }
}

/// The producer id and epoch to stamp on every batch. Mirrors `InitProducerIdResponseData`.
public struct InitProducerIdResponse: KafkaResponse, Equatable {
    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    public var producerId: Int64
    public var producerEpoch: Int16

    public init(
        throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, producerId: Int64 = -1,
        producerEpoch: Int16 = 0
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.producerId = producerId
        self.producerEpoch = producerEpoch
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        producerId = try reader.readInt64("producer_id")
        producerEpoch = try reader.readInt16("producer_epoch")
        if InitProducerIdRequest.isFlexible(version) {
            try reader.readTaggedFields("InitProducerIdResponse")
        }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt32(throttleTimeMs)
        writer.writeInt16(errorCode.rawValue)
        writer.writeInt64(producerId)
        writer.writeInt16(producerEpoch)
        if InitProducerIdRequest.isFlexible(version) { writer.writeTaggedFields() }
    }
}
