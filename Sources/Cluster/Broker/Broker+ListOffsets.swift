// Broker room: ListOffsets (key 2): earliest (-2), latest (-1, the log end offset), max
// timestamp (-3) and the first offset at or after a timestamp.

extension Broker {
    func handleListOffsets(_ request: ListOffsetsRequest, header: RequestHeader) -> (ListOffsetsResponse, ErrorCode) {
        var first = ErrorCode.none
        let topics = request.topics.map { topic in
            ListOffsetsResponse.Topic(name: topic.name, partitions: topic.partitions.map { p in
                let answer = listOffset(topic.name, p)
                if answer.errorCode != .none && first == .none { first = answer.errorCode }
                return answer
            })
        }
        return (ListOffsetsResponse(topics: topics), first)
    }

    private func listOffset(_ topic: String, _ p: ListOffsetsRequest.Partition) -> ListOffsetsResponse.Partition {
        func answer(_ code: ErrorCode, timestamp: Int64 = -1, offset: Int64 = -1, epoch: Int32 = -1) -> ListOffsetsResponse.Partition {
            .init(partitionIndex: p.partitionIndex, errorCode: code, timestamp: timestamp, offset: offset, leaderEpoch: epoch)
        }
        guard let registration = image.partition(topic, p.partitionIndex) else { return answer(.unknownTopicOrPartition) }
        let tp = TopicPartition(topic: topic, partition: p.partitionIndex)
        guard registration.leader == identity.nodeID, isLeader(tp), let log = logs[tp] else { return answer(.notLeaderOrFollower) }
        let epoch = registration.leaderEpoch
        switch p.timestamp {
        case ListOffsetsRequest.earliestTimestamp:
            return answer(.none, offset: log.logStartOffset, epoch: epoch)
        case ListOffsetsRequest.latestTimestamp:
            return answer(.none, offset: log.logEndOffset, epoch: epoch)
        case ListOffsetsRequest.maxTimestamp:
            guard let found = scanRecords(log, where: { _ in true }, pickMax: true) else { return answer(.none, epoch: epoch) }
            return answer(.none, timestamp: found.timestamp, offset: found.offset, epoch: epoch)
        case let ts where ts >= 0:
            guard let found = scanRecords(log, where: { $0 >= ts }, pickMax: false) else {
                return answer(.none, offset: -1, epoch: epoch)
            }
            return answer(.none, timestamp: found.timestamp, offset: found.offset, epoch: epoch)
        default:
            return answer(.unsupportedVersion)
        }
    }

    /// The first record whose timestamp passes `test`, or (pickMax) the one with the largest
    /// timestamp. Batch headers narrow the search; only candidate batches are decoded.
    private func scanRecords(_ log: PartitionLog, where test: (Int64) -> Bool, pickMax: Bool) -> (offset: Int64, timestamp: Int64)? {
        var best: (offset: Int64, timestamp: Int64)? = nil
        for segment in log.segments {
            guard var batches = try? log.batches(inSegment: segment.baseOffset) else { continue }
            while let entry = batches.next() {
                let h = entry.header
                guard h.lastOffset >= log.logStartOffset, test(h.maxTimestamp) else { continue }
                if pickMax, let b = best, h.maxTimestamp <= b.timestamp { continue }
                let start = max(h.baseOffset, log.logStartOffset)
                guard let bytes = try? log.read(from: start, maxBytes: 1, upTo: log.logEndOffset).records,
                      let decoded = try? RecordBatchDecoder.decode(bytes, at: bytes.readerIndex) else { continue }
                for record in decoded.records where record.offset >= log.logStartOffset {
                    if pickMax {
                        if record.timestamp > (best?.timestamp ?? Int64.min) { best = (record.offset, record.timestamp) }
                    } else if test(record.timestamp) {
                        return (record.offset, record.timestamp)
                    }
                }
            }
        }
        return best
    }
}
