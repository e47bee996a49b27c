// Storage room: one line of the leader-epoch cache (a leader epoch and the first offset
// written in it), and the answer to "where does this epoch end?" that followers ask for.

/// A leader epoch and the offset of the first record the log holds from it.
///
/// Kafka's `EpochEntry`; one `<epoch> <startOffset>` line of `leader-epoch-checkpoint`.
public struct EpochEntry: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var epoch: Int32
    public var startOffset: Int64

    public init(epoch: Int32, startOffset: Int64) {
        self.epoch = epoch
        self.startOffset = startOffset
    }

    public var description: String { "EpochEntry(epoch=\(epoch), startOffset=\(startOffset))" }
}

/// The answer to an OffsetForLeaderEpoch question: the largest epoch at or below the one
/// asked about, and the offset where it ended (the start of the next epoch, or the log end
/// offset for the latest epoch).
///
/// Kafka's `EpochEndOffset` (the OffsetForLeaderEpoch response fields `leader_epoch` and
/// `end_offset`); `.undefined` is its `UNDEFINED_EPOCH` / `UNDEFINED_EPOCH_OFFSET` pair.
public struct EpochEndOffset: Equatable, Sendable, CustomStringConvertible {
    public var leaderEpoch: Int32
    public var endOffset: Int64

    public init(leaderEpoch: Int32, endOffset: Int64) {
        self.leaderEpoch = leaderEpoch
        self.endOffset = endOffset
    }

    /// Kafka's `UNDEFINED_EPOCH` (-1) and `UNDEFINED_EPOCH_OFFSET` (-1).
    public static let undefined = EpochEndOffset(leaderEpoch: -1, endOffset: -1)

    public var isUndefined: Bool { self == .undefined }

    public var description: String { "(epoch \(leaderEpoch), end offset \(endOffset))" }
}
