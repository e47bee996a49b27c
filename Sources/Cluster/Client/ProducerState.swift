// Client room: everything a producer shares between the callers of `send` and its sender:
// the accumulator, the partitioner, sequences, routes and in-flight counts. A plain value.

/// A producer's mutable state, kept behind one lock.
///
/// `send` appends under the lock and leaves; the sender drains under it and sends outside
/// it. Nothing in here awaits or performs I/O.
struct ProducerState: Sendable {
    /// What `send` needs to partition a topic's records.
    struct Route: Sendable, Equatable {
        var partitionCount: Int32
        var availablePartitions: [Int32]
    }

    var accumulator: RecordAccumulator
    var partitioner: Partitioner
    var sequences = ProducerSequences()
    var routes: [String: Route] = [:]
    /// Unanswered Produce requests per broker (`max.in.flight.requests.per.connection`).
    var inFlight: [Int32: Int] = [:]
    /// Every batch not yet answered, by creation order, for flush and `buffer.memory`.
    var incomplete: [UInt64: BatchCompletion] = [:]
    /// `close()` was called: no more sends.
    var closed = false
    /// An error that ends the producer (InitProducerId refused), as Kafka's fatal errors.
    var fatalError: KafkaClientError?
    var refreshingMetadata = false
    var metadataWanted = false
    var lastMetadataRefresh: Instant?
    /// Counts the metadata answers the sender has taken in.
    var metadataGeneration = 0
    var initializingProducerId = false
    var lastInitAttempt: Instant?
    var initAttempts = 0
    /// The earliest wake-up already scheduled.
    var wakeArmedAt: Instant?

    init(accumulator: RecordAccumulator, partitioner: Partitioner) {
        self.accumulator = accumulator
        self.partitioner = partitioner
    }

    var totalInFlight: Int { inFlight.values.reduce(0, +) }

    mutating func updateRoutes(from metadata: MetadataCache) {
        for topic in routes.keys.sorted() {
            guard let info = metadata.topic(topic), !info.partitions.isEmpty,
                let count = Int32(exactly: info.partitions.count)
            else { continue }
            routes[topic] = Route(
                partitionCount: count, availablePartitions: metadata.availablePartitions(topic))
        }
    }
}
