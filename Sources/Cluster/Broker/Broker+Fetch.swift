// Broker room: Fetch (key 1) for consumers and followers. A consumer reads up to the high
// watermark, a follower (replica_id >= 0) up to the log end; a request with fewer than
// min_bytes available waits until data arrives or max_wait_ms passes (Kafka's DelayedFetch).

import NIOCore

/// A Fetch that did not have `min_bytes` available and waits up to `max_wait_ms`.
struct ParkedFetch {
    var connection: ConnectionID
    var header: RequestHeader
    var request: FetchRequest
    var requestBytes: Int
    var deadline: Instant
}

extension Broker {
    /// Answers now, or parks the request. Returns nil when parked.
    mutating func handleFetch(_ request: FetchRequest, header: RequestHeader, connection: ConnectionID,
                              requestBytes: Int, now: Instant) -> (FetchResponse, ErrorCode)?
    {
        if request.replicaId >= 0 {
            // Where the follower fetches from is what it has: the leader's high watermark may
            // move, and what waited for it with it.
            noteFollowerFetch(request, version: header.apiVersion, now: now)
            completeDelayedOperations(now: now)
        }
        let (response, bytes, error) = fetchResponse(request, version: header.apiVersion)
        let wantsToWait = request.maxWaitMs > 0 && bytes < request.effectiveMinBytes && error == .none
        if wantsToWait && !delayed.isFull {
            park(.fetch(ParkedFetch(connection: connection, header: header, request: request, requestBytes: requestBytes,
                                    deadline: now + .milliseconds(Int64(request.maxWaitMs)))),
                 watching: partitions(of: request, version: header.apiVersion))
            return nil
        }
        return (response, error)
    }

    /// Builds a Fetch response from the logs: the bytes it carries and its first error.
    /// However large `max_bytes` (request or partition) is, the answer holds at most
    /// `fetch.max.bytes` (plus one whole first batch), and only bytes that exist are read.
    func fetchResponse(_ request: FetchRequest, version: Int16) -> (FetchResponse, Int, ErrorCode) {
        var remaining = request.effectiveMaxBytes
        var total = 0
        var firstError = ErrorCode.none
        var topics: [FetchResponse.FetchableTopicResponse] = []
        for fetchTopic in request.topics {
            let byId = version >= 13
            let name = byId ? image.topic(id: fetchTopic.topicId)?.name : fetchTopic.topic
            var partitions: [FetchResponse.PartitionData] = []
            for p in fetchTopic.partitions {
                var data = fetchPartition(
                    name: name, byId: byId, p, budget: remaining, isFirst: total == 0, isFollower: request.replicaId >= 0)
                let size = data.records?.readableBytes ?? 0
                remaining -= size
                total += size
                if data.errorCode != .none && firstError == .none { firstError = data.errorCode }
                if data.errorCode != .none { data.records = ByteBuffer() }
                partitions.append(data)
            }
            topics.append(.init(topic: fetchTopic.topic, topicId: fetchTopic.topicId, partitions: partitions))
        }
        return (FetchResponse(responses: topics), total, firstError)
    }

    private func fetchPartition(
        name: String?, byId: Bool, _ p: FetchRequest.FetchPartition, budget: Int, isFirst: Bool, isFollower: Bool
    ) -> FetchResponse.PartitionData
    {
        guard let name else {
            return .init(partitionIndex: p.partition, errorCode: byId ? .unknownTopicId : .unknownTopicOrPartition)
        }
        guard let registration = image.partition(name, p.partition) else {
            return .init(partitionIndex: p.partition, errorCode: .unknownTopicOrPartition)
        }
        let tp = TopicPartition(topic: name, partition: p.partition)
        guard registration.leader == identity.nodeID, isLeader(tp), let log = logs[tp] else {
            return .init(partitionIndex: p.partition, errorCode: .notLeaderOrFollower)
        }
        if p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch < registration.leaderEpoch {
            return .init(partitionIndex: p.partition, errorCode: .fencedLeaderEpoch)
        }
        if p.currentLeaderEpoch > registration.leaderEpoch {
            return .init(partitionIndex: p.partition, errorCode: .unknownLeaderEpoch)
        }
        let highWatermark = log.highWatermark
        if isFollower, p.lastFetchedEpoch >= 0, let end = diverging(log, p) {
            return .init(partitionIndex: p.partition, errorCode: .none, highWatermark: highWatermark,
                         lastStableOffset: highWatermark, logStartOffset: log.logStartOffset, divergingEpoch: end)
        }
        let maxBytes = min(Int(max(p.partitionMaxBytes, 0)), max(budget, 0))
        do {
            // Kafka returns the first batch whole even past the limits, but only for the first
            // partition with data, so that a consumer always makes progress.
            let data = try log.read(from: p.fetchOffset, maxBytes: maxBytes, upTo: isFollower ? log.logEndOffset : highWatermark, minOneBatch: isFirst)
            return .init(partitionIndex: p.partition, errorCode: .none, highWatermark: highWatermark,
                         lastStableOffset: highWatermark, logStartOffset: log.logStartOffset, records: data.records)
        } catch {
            return .init(partitionIndex: p.partition, errorCode: error.errorCode, highWatermark: highWatermark,
                         lastStableOffset: highWatermark, logStartOffset: log.logStartOffset)
        }
    }

    /// The partitions a Fetch names, by name (v13+ names topics by id).
    private func partitions(of request: FetchRequest, version: Int16) -> [TopicPartition] {
        request.topics.flatMap { fetchTopic -> [TopicPartition] in
            guard let name = version >= 13 ? image.topic(id: fetchTopic.topicId)?.name : fetchTopic.topic else { return [] }
            return fetchTopic.partitions.map { TopicPartition(topic: name, partition: $0.partition) }
        }
    }

    /// A parked Fetch's answer once it has `min_bytes`, an error to report (its leader moved),
    /// or its wait is up. Nil: keep waiting.
    func tryComplete(_ parked: ParkedFetch, now: Instant) -> DeferredReply? {
        let (response, bytes, error) = fetchResponse(parked.request, version: parked.header.apiVersion)
        guard parked.deadline <= now || error != .none || bytes >= parked.request.effectiveMinBytes else { return nil }
        let frame = RequestFraming.responseFrame(
            FetchRequest.self, version: parked.header.apiVersion, correlationId: parked.header.correlationId, body: response)
        return DeferredReply(connection: parked.connection, frame: frame, trace: RequestTrace(
            apiKey: .fetch, apiVersion: parked.header.apiVersion, correlationId: parked.header.correlationId,
            clientId: parked.header.clientId, requestBytes: parked.requestBytes, responseBytes: frame.readableBytes,
            errorCode: error))
    }

    public mutating func connectionClosed(_ connection: ConnectionID) {
        delayed.forget(connection)
        forgetGroupRequests(connection)
    }
}

extension FetchRequest {
    /// `max_bytes` as the broker honours it: Kafka's `KafkaApis.handleFetchRequest` takes
    /// `min(max_bytes, fetch.max.bytes)`, so a request for `Int32.max` cannot make it read
    /// (or hold in memory) more than the broker's cap.
    var effectiveMaxBytes: Int { min(Int(max(maxBytes, 0)), Limits.fetchBytesMax) }

    /// `min_bytes`, at least one and at most `effectiveMaxBytes`, as Kafka caps it too: a
    /// request could otherwise wait for more bytes than any answer may carry.
    var effectiveMinBytes: Int { max(1, min(Int(minBytes), effectiveMaxBytes)) }
}
