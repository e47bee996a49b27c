// Protocol room: the fixed name, topic id and partition of KRaft's metadata log,
// `__cluster_metadata-0`, the partition every Raft RPC and every metadata fetch names.

/// KRaft's metadata log as the wire names it.
///
/// The controllers replicate the cluster's metadata as the records of one partition, and
/// brokers follow it with ordinary Fetch requests. Its id is fixed rather than random, so a
/// follower can fetch it (Fetch v13+ names topics by id) before it knows any other metadata.
/// Mirrors Kafka's `Topic.CLUSTER_METADATA_TOPIC_NAME` and `Uuid.METADATA_TOPIC_ID`.
public enum MetadataTopic {
    public static let name = "__cluster_metadata"
    /// `Uuid.METADATA_TOPIC_ID`, which Kafka defines as `ONE_UUID` (0, 1), printed
    /// `AAAAAAAAAAAAAAAAAAAAAQ`; reserved, so no random topic id can ever take it.
    public static let topicId = Uuid(mostSignificantBits: 0, leastSignificantBits: 1)
    public static let partition: Int32 = 0
}
