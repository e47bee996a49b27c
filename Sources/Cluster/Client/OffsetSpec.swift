// Client room: which offset to look up in a partition: the first, the next to be written,
// the record with the largest timestamp, or the first at or after a time.

/// What ListOffsets should find. Mirrors Kafka's `OffsetSpec`.
public enum OffsetSpec: Sendable, Equatable, CustomStringConvertible {
    /// The log start offset.
    case earliest
    /// The log end offset: the offset the next record will get (the high watermark for
    /// read_uncommitted).
    case latest
    /// The record with the largest timestamp (ListOffsets v7+, KIP-734).
    case maxTimestamp
    /// The first record whose timestamp is at or after this many ms since the epoch.
    case timestamp(Int64)

    /// The timestamp field ListOffsets carries for this spec.
    public var wireTimestamp: Int64 {
        switch self {
        case .earliest: return ListOffsetsRequest.earliestTimestamp
        case .latest: return ListOffsetsRequest.latestTimestamp
        case .maxTimestamp: return ListOffsetsRequest.maxTimestamp
        case .timestamp(let ms): return ms
        }
    }

    /// The lowest ListOffsets version that understands this spec.
    var minimumVersion: Int16 { self == .maxTimestamp ? 7 : ListOffsetsRequest.versions.lowerBound }

    public var description: String {
        switch self {
        case .earliest: return "earliest"
        case .latest: return "latest"
        case .maxTimestamp: return "max-timestamp"
        case .timestamp(let ms): return "timestamp \(ms)"
        }
    }
}
