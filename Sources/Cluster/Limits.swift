// Cluster-wide named limits. Every size, count and depth that input can drive lives here,
// with Kafka's default where Kafka has one, so that nothing grows without a bound.

/// The bounds the brokers enforce on what clients send them.
///
/// Each mirrors a Kafka broker setting (named in the comment) so a learner who reads
/// `socket.request.max.bytes` in Kafka's docs finds the same number here.
public enum Limits {
    /// `socket.request.max.bytes`: a request frame larger than this is refused before any
    /// of it is buffered, and the connection closes, as a Kafka broker does.
    public static let frameBytesMax = 104_857_600
    /// `message.max.bytes`: the largest record batch a broker accepts (Kafka 3.x/4.x default).
    public static let batchBytesMax = 1_048_588
    /// `fetch.max.bytes` (broker): the most record bytes one Fetch answer carries, whatever
    /// `max_bytes` the request asks for (Kafka's `KafkaApis` takes the smaller of the two, for
    /// consumers and followers alike). Kafka's default, 55 MiB. The first batch still goes out
    /// whole when larger, so a consumer always progresses.
    public static let fetchBytesMax = 57_671_680
    /// The longest string a request may carry (a Kafka STRING has an int16 length).
    public static let stringBytesMax = Int(Int16.max)
    /// The most elements an array in a request may declare. Kafka has no named limit but
    /// checks declared sizes against the bytes left; we do both, so a forged count of
    /// two billion can never allocate.
    public static let arrayElementsMax = 1_000_000
    /// Tagged fields per structure; the protocol does not bound them, we do.
    public static let taggedFieldsMax = 1_024
    /// The most client connections one broker keeps open at once (`max.connections`
    /// is unbounded by default in Kafka; an in-process classroom wants a ceiling).
    public static let connectionsPerBrokerMax = 1_024
    /// Partitions one topic may have. Kafka sets no limit; every partition here is a
    /// directory and open files on a laptop, so we do.
    public static let partitionsPerTopicMax = 1_000
    /// The most bytes one compressed batch may inflate to. Kafka has no such setting (its
    /// decompression streams grow as needed); we bound it so that a few kilobytes of gzip
    /// (a "zip bomb") cannot make a broker or client allocate gigabytes.
    public static let decompressedBatchBytesMax = 64 * 1_048_576
    /// Headers one record may carry. Kafka bounds them only by the record's size; a count
    /// must also fit in the bytes left, so a forged count cannot allocate.
    public static let recordHeadersMax = 10_000
    /// Long-poll fetches one broker keeps waiting at once (Kafka's purgatory is unbounded);
    /// past this a fetch is answered at once with what there is.
    public static let purgatoryEntriesMax = 10_000
    /// Requests queued behind a parked one on the same connection before the broker stops
    /// reading from it (Kafka mutes a channel while a request is in flight).
    public static let queuedRequestsPerConnectionMax = 64
    /// Quorum requests from one peer awaiting this node's answer; Raft replaces a parked
    /// fetch with the peer's next one, so only the newest few can still be answered.
    public static let raftInboundPerPeerMax = 16
    /// Client requests a broker holds for the controller at once (forwarded CreateTopics...).
    public static let forwardedRequestsMax = 1_000
    /// Leader elections one automatic check (preferred leaders back, or unclean elections for
    /// leaderless partitions) writes at most; the rest follow a moment later (Kafka's
    /// `ReplicationControlManager.MAX_ELECTIONS_PER_IMBALANCE`).
    public static let electionsPerImbalanceMax = 1_000
    /// The largest batch of the metadata log `__cluster_metadata-0` (Kafka's
    /// `KafkaRaftClient.MAX_BATCH_SIZE_BYTES`, 8 MiB), above `batchBytesMax` because one
    /// controller operation's records are committed as one batch.
    public static let metadataBatchBytesMax = 8 * 1_048_576
    /// Brokers an embedded cluster may run (the REPL's `--brokers`).
    public static let brokersMax = 9

    // MARK: - Storage

    /// Closed segments a partition keeps open for reads (an LRU of log handle plus offset
    /// index). With the active segment's three files, a partition holds at most
    /// `openFilesPerPartitionMax` descriptors. Kafka keeps every segment open; we bound it.
    public static let segmentReadersPerPartitionMax = 2
    /// Descriptors one partition log holds at once: `.log`, `.index` and `.timeindex` of the
    /// active segment plus one `.log` per cached reader (a `log dump` iterator adds one).
    public static let openFilesPerPartitionMax = 3 + segmentReadersPerPartitionMax
    /// Read-ahead when walking batches in a segment file (recovery, fetch lookups, dumps).
    public static let logScanChunkBytes = 65_536
    /// Index entries an active segment keeps in memory before writing them to its `.index`
    /// and `.timeindex` files in one call (they are always written before an fsync).
    public static let unwrittenIndexEntriesMax = 512
    /// An append of at most this many batches writes stamped header copies between the
    /// untouched batch bytes (one gathered write); more are stamped in a copy of the bytes.
    public static let gatheredAppendBatchesMax = 16
    /// Recovery reads a batch whole up to this size and checksums larger ones in chunks, so a
    /// corrupt length field can never make it allocate a segment's worth of memory.
    public static let recoveryBatchReadBytesMax = 8_388_608
    /// The largest checkpoint file (`recovery-point-offset-checkpoint`...) a node reads.
    public static let checkpointFileBytesMax = 16_777_216
    /// The largest `partition.metadata` or `.kafka_cleanshutdown` file a node reads.
    public static let smallMetadataFileBytesMax = 4_096
}
