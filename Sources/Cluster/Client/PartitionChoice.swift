// Client room: why a produced record went to its partition, for the REPL's explanation line
// ("key 'order-1' → murmur2 1221710326 → 1221710326 % 3 = 1").

/// How the producer picked a record's partition.
///
/// Mirrors the three branches of Kafka's default partitioning: an explicit partition wins;
/// a keyed record goes to `toPositive(murmur2(key)) % partitions`; an unkeyed record goes to
/// the topic's sticky partition (KIP-480).
public enum PartitionChoice: Sendable, Equatable, CustomStringConvertible {
    case explicit
    case keyHash(murmur2: Int32, partitions: Int)
    case sticky

    public var description: String {
        switch self {
        case .explicit:
            return "partition given explicitly"
        case .keyHash(let hash, let partitions):
            let positive = Partitioner.toPositive(hash)
            let count = Int32(clamping: max(partitions, 1))
            return "murmur2(key) = \(hash), toPositive = \(positive), "
                + "\(positive) % \(partitions) = \(positive % count)"
        case .sticky:
            return "no key: sticky partition (kept until its batch is sent)"
        }
    }
}
