// Client room: one batch of records for one partition, from its first append through
// retries to its answer. A value moved between the accumulator and requests in flight.

import NIOCore

/// A RecordBatch being filled, sent or retried, with the facts the producer needs about it.
///
/// Records go into a `RecordBatchBuilder` as they arrive; the bytes are built once, when the
/// batch is first drained, and only the producer id, epoch and base sequence are stamped
/// again if an epoch bump re-sequences it. Mirrors Kafka's `ProducerBatch`.
struct ProducerBatch: Sendable {
    /// Creation order within the producer; retries go back in this order.
    let id: UInt64
    let topicPartition: TopicPartition
    let createdAt: Instant
    let completion: BatchCompletion
    var builder: RecordBatchBuilder
    /// No more records go in: it reached `batch.size`, a record did not fit, or it was sent.
    var isClosed = false
    /// The built RecordBatch, once drained.
    var bytes: ByteBuffer?
    /// How many times it has been sent.
    var attempts = 0
    /// Not before this, after a retriable failure (`retry.backoff.ms`).
    var retryAfter: Instant?
    /// The last retriable failure, reported if the batch then expires.
    var lastError: KafkaClientError?
    /// Set when the batch failed because the client's routing was out of date
    /// (NOT_LEADER_OR_FOLLOWER...): the metadata generation it failed under. It is not resent
    /// until a newer metadata answer has arrived, so it does not go back to the old leader.
    var failedUnderMetadata: Int?
    // The idempotent producer's stamp; -1 until assigned at drain.
    var producerId: Int64 = -1
    var producerEpoch: Int16 = -1
    var baseSequence: Int32 = -1

    init(
        id: UInt64, topicPartition: TopicPartition, createdAt: Instant, builder: RecordBatchBuilder
    ) {
        self.id = id
        self.topicPartition = topicPartition
        self.createdAt = createdAt
        self.completion = BatchCompletion()
        self.builder = builder
    }

    var recordCount: Int32 { builder.recordsCount }
    /// The uncompressed size: what the batch holds of `buffer.memory`.
    var sizeInBytes: Int { builder.sizeInBytes }
    var hasSequence: Bool { baseSequence >= 0 }

    /// Builds the bytes on first use, then stamps the producer fields into them.
    mutating func seal() throws(RecordBatchBuilderError) -> ByteBuffer {
        isClosed = true
        var built: ByteBuffer
        if let bytes {
            built = bytes
        } else {
            built = try builder.build()
        }
        if producerId >= 0 || bytes != nil {
            Self.stampProducer(
                &built, producerId: producerId, producerEpoch: producerEpoch,
                baseSequence: baseSequence)
        }
        bytes = built
        return built
    }

    /// Writes producer id, epoch and base sequence into a built batch and recomputes its
    /// CRC-32C, which covers them (it covers everything from `attributes` on).
    static func stampProducer(
        _ batch: inout ByteBuffer, producerId: Int64, producerEpoch: Int16, baseSequence: Int32
    ) {
        let start = batch.readerIndex
        batch.setInteger(producerId, at: start + RecordBatchHeader.producerIdAt, endianness: .big)
        batch.setInteger(
            producerEpoch, at: start + RecordBatchHeader.producerEpochAt, endianness: .big)
        batch.setInteger(
            baseSequence, at: start + RecordBatchHeader.baseSequenceAt, endianness: .big)
        let crc = RecordBatchView.crcOfBatch(batch, at: start, totalSize: batch.readableBytes)
        batch.setInteger(crc, at: start + RecordBatchHeader.crcAt, endianness: .big)
    }
}
