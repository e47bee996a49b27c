// Broker room: OffsetForLeaderEpoch (key 23). The leader of a partition says where a leader
// epoch ended in its log, from the leader-epoch cache; consumers use it after a leader change
// to check that their position still exists (KIP-320). No sockets here.

extension Broker {
    /// Answers each partition as Kafka's `ReplicaManager.lastOffsetForLeaderEpoch` does, and
    /// returns the first partition error for the request trace.
    ///
    /// `replica_id` is read but, as in Kafka, decides nothing: the broker always calls
    /// `Partition.lastOffsetForLeaderEpoch` with `fetchOnlyFromLeader = true`, so only the
    /// leader answers, whether a follower, a consumer (-1) or a debugging client (-2) asks.
    /// Since KIP-320 the id matters only for authorization (a consumer from v3 on needs topic
    /// DESCRIBE instead of CLUSTER_ACTION), and this broker does not authorize.
    func handleOffsetForLeaderEpoch(_ request: OffsetForLeaderEpochRequest, header: RequestHeader)
        -> (OffsetForLeaderEpochResponse, ErrorCode)
    {
        var first = ErrorCode.none
        let topics = request.topics.map { topic in
            OffsetForLeaderEpochResponse.Topic(
                topic: topic.topic,
                partitions: topic.partitions.map { p in
                    let answer = lastOffsetForLeaderEpoch(topic.topic, p)
                    if answer.errorCode != .none && first == .none { first = answer.errorCode }
                    return answer
                })
        }
        return (OffsetForLeaderEpochResponse(topics: topics), first)
    }

    /// One partition, with Kafka's checks in Kafka's order: a partition this broker does not
    /// host is NOT_LEADER_OR_FOLLOWER if the cluster has it, else UNKNOWN_TOPIC_OR_PARTITION;
    /// then `current_leader_epoch` against this replica's epoch (before the leader check, so a
    /// follower asked with a stale epoch says FENCED_LEADER_EPOCH); then leadership; then the
    /// epoch cache. Kafka's `Partition.lastOffsetForLeaderEpoch` and `getLocalLog`.
    ///
    /// No cap at the high watermark for consumers: Kafka answers the latest epoch with the log
    /// end offset for everyone (`LeaderEpochFileCache.endOffsetFor`), and a consumer compares
    /// the answer with its own position, which never passes the high watermark, so records
    /// above it change nothing in that comparison.
    private func lastOffsetForLeaderEpoch(
        _ topic: String, _ p: OffsetForLeaderEpochRequest.Partition
    ) -> OffsetForLeaderEpochResponse.EpochEndOffset {
        func failed(_ code: ErrorCode) -> OffsetForLeaderEpochResponse.EpochEndOffset {
            .init(errorCode: code, partition: p.partition)
        }
        let tp = TopicPartition(topic: topic, partition: p.partition)
        guard let replica = partitionReplicas[tp], let log = logs[tp] else {
            // Kafka's `HostedPartition.None`: known to the metadata, or not at all.
            let known = image.partition(topic, p.partition) != nil
            return failed(known ? .notLeaderOrFollower : .unknownTopicOrPartition)
        }
        // Only -1 means "not sent" (Kafka's NO_PARTITION_LEADER_EPOCH); any other value, even
        // a negative one, is compared.
        if p.currentLeaderEpoch != -1 {
            if p.currentLeaderEpoch < replica.leaderEpoch { return failed(.fencedLeaderEpoch) }
            if p.currentLeaderEpoch > replica.leaderEpoch { return failed(.unknownLeaderEpoch) }
        }
        guard replica.isLeader else { return failed(.notLeaderOrFollower) }
        let end = log.endOffsetForEpoch(p.leaderEpoch)
        // An epoch the cache cannot place (newer than its latest, or none recorded yet) is not
        // an error: Kafka answers NONE with the undefined pair, and the asker falls back.
        guard !end.isUndefined else { return .init(partition: p.partition) }
        return .init(partition: p.partition, leaderEpoch: end.leaderEpoch, endOffset: end.endOffset)
    }
}
