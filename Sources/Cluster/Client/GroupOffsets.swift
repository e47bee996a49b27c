// Client room: a group consumer's commit bookkeeping, decided without I/O: which positions
// differ from what is committed, the OffsetCommit that carries them, and where fetching
// starts from an OffsetFetch answer.

/// Committed offsets as this member knows them, and the requests that change them.
///
/// A commit carries positions (the offset of the next record to read), as Kafka's do. Only
/// partitions whose position moved are sent by auto-commit; an explicit `commit()` sends all.
/// Mirrors the offset half of Kafka's `ConsumerCoordinator` (`sendOffsetCommitRequest`,
/// `OffsetCommitResponseHandler`, `fetchCommittedOffsets`).
public struct GroupOffsets: Sendable, Equatable {
    /// The offsets the coordinator has acknowledged, per partition.
    public private(set) var committed: [TopicPartition: Int64] = [:]

    public init() {}

    /// The positions that differ from what is committed.
    public func uncommitted(_ positions: [TopicPartition: Int64]) -> [TopicPartition: Int64] {
        positions.filter { committed[$0.key] != $0.value }
    }

    /// OffsetCommit for `offsets`, under the member's generation (-1 and "" outside a group's
    /// generation, which the coordinator accepts only for an empty group).
    public static func commitRequest(
        _ offsets: [TopicPartition: Int64], membership: GroupMembership
    ) -> OffsetCommitRequest {
        var topics: [OffsetCommitRequest.Topic] = []
        for tp in offsets.keys.sorted() {
            guard let offset = offsets[tp] else { continue }
            let partition = OffsetCommitRequest.Partition(
                partitionIndex: tp.partition, committedOffset: offset)
            if let last = topics.indices.last, topics[last].name == tp.topic {
                topics[last].partitions.append(partition)
            } else {
                topics.append(OffsetCommitRequest.Topic(name: tp.topic, partitions: [partition]))
            }
        }
        return OffsetCommitRequest(
            groupId: membership.groupId, generationIdOrMemberEpoch: membership.generationId,
            memberId: membership.memberId, groupInstanceId: membership.groupInstanceId,
            topics: topics)
    }

    /// Records what the coordinator accepted; returns the first error per partition, sorted.
    public mutating func apply(
        _ response: OffsetCommitResponse, asked: [TopicPartition: Int64]
    ) -> [(TopicPartition, ErrorCode)] {
        var failed: [(TopicPartition, ErrorCode)] = []
        var answered: Set<TopicPartition> = []
        for topic in response.topics {
            for p in topic.partitions {
                let tp = TopicPartition(topic.name, p.partitionIndex)
                guard let offset = asked[tp], answered.insert(tp).inserted else { continue }
                if p.errorCode == .none {
                    committed[tp] = offset
                } else {
                    failed.append((tp, p.errorCode))
                }
            }
        }
        for tp in asked.keys.sorted() where !answered.contains(tp) {
            failed.append((tp, .unknownServerError))
        }
        return failed.sorted { $0.0 < $1.0 }
    }

    /// Forgets partitions no longer assigned (another member may commit them now).
    public mutating func retain(_ assignment: [TopicPartition]) {
        let keep = Set(assignment)
        committed = committed.filter { keep.contains($0.key) }
    }

    /// OffsetFetch for `partitions` of the group.
    public static func fetchRequest(
        _ partitions: [TopicPartition], groupId: String
    ) -> OffsetFetchRequest {
        var topics: [OffsetFetchRequest.Topic] = []
        for tp in partitions.sorted() {
            if let last = topics.indices.last, topics[last].name == tp.topic {
                topics[last].partitionIndexes.append(tp.partition)
            } else {
                topics.append(OffsetFetchRequest.Topic(name: tp.topic, partitionIndexes: [tp.partition]))
            }
        }
        return OffsetFetchRequest(
            groups: [OffsetFetchRequest.Group(groupId: groupId, topics: topics)],
            requireStable: true)
    }

    /// Where each partition starts: its committed offset, or (in `needsReset`) nothing
    /// committed, so `auto.offset.reset` decides. Records the committed offsets. Throws the
    /// group's or a partition's error (UNSTABLE_OFFSET_COMMIT and coordinator errors are
    /// retriable).
    public mutating func applyFetched(
        _ response: OffsetFetchResponse, for partitions: [TopicPartition]
    ) throws(KafkaClientError) -> (starts: [TopicPartition: Int64], needsReset: [TopicPartition]) {
        guard let group = response.groups.first else {
            throw .broker(.unknownServerError, context: "OffsetFetch", message: "no group answered")
        }
        guard group.errorCode == .none else {
            throw .broker(group.errorCode, context: "OffsetFetch", message: nil)
        }
        var found: [TopicPartition: OffsetFetchResponse.Partition] = [:]
        for topic in group.topics {
            for p in topic.partitions { found[TopicPartition(topic.name, p.partitionIndex)] = p }
        }
        var starts: [TopicPartition: Int64] = [:]
        var needsReset: [TopicPartition] = []
        for tp in partitions.sorted() {
            if let p = found[tp], p.errorCode != .none {
                throw .broker(p.errorCode, context: "OffsetFetch for \(tp)", message: nil)
            }
            if let offset = found[tp]?.committedOffset, offset >= 0 {
                committed[tp] = offset
                starts[tp] = offset
            } else {
                needsReset.append(tp)
            }
        }
        return (starts, needsReset)
    }
}
