// Client test support: the fake cluster's request handlers, one per API, each a few lines
// over the in-memory state. Enough of Kafka's behaviour to exercise the client, no more.

import NIOCore

@testable import Cluster

extension FakeKafka {
    enum Reply {
        case respond(ByteBuffer, delay: Duration)
        case silent
        case close
    }

    func handle(_ frame: ByteBuffer, broker: Int32) -> Reply {
        state.withLock { state in Self.handle(frame, broker: broker, brokers: brokerIds, &state) }
    }

    private static func handle(
        _ frame: ByteBuffer, broker: Int32, brokers: [Int32], _ state: inout State
    ) -> Reply {
        var supported = state.advertised
        for (key, ours) in codecRanges {
            guard let theirs = supported[key] else { continue }
            let low = max(ours.lowerBound, theirs.lowerBound)
            let high = min(ours.upperBound, theirs.upperBound)
            // Disjoint: advertise the override as it is (the client must refuse it).
            if low <= high { supported[key] = low...high }
        }
        switch RequestFraming.prepare(frame, supported: supported, firstFlexible: firstFlexible) {
        case .close, .unsupportedVersion:
            return .close
        case .unsupportedApiVersions(let header):
            let body = ApiVersionsResponse(
                errorCode: .unsupportedVersion,
                apiKeys: [
                    .init(
                        apiKey: .apiVersions, minVersion: supported[.apiVersions]?.lowerBound ?? 0,
                        maxVersion: supported[.apiVersions]?.upperBound ?? 0)
                ])
            return respond(ApiVersionsRequest.self, 0, header.correlationId, body)
        case .dispatch(var request):
            let header = request.header
            state.log.append(Logged(broker: broker, api: header.apiKey, version: header.apiVersion))
            if let drops = state.dropNext[header.apiKey], drops > 0 {
                state.dropNext[header.apiKey] = drops - 1
                return .close
            }
            let v = header.apiVersion
            let id = header.correlationId
            do {
                switch header.apiKey {
                case .apiVersions:
                    _ = try ApiVersionsRequest(from: &request.body, version: v)
                    let keys = supported.keys.sorted().compactMap { key in
                        supported[key].map {
                            ApiVersionsResponse.ApiVersion(
                                apiKey: key, minVersion: $0.lowerBound, maxVersion: $0.upperBound)
                        }
                    }
                    return respond(
                        ApiVersionsRequest.self, v, id, ApiVersionsResponse(apiKeys: keys))
                case .metadata:
                    let req = try MetadataRequest(from: &request.body, version: v)
                    return respond(MetadataRequest.self, v, id, metadata(req, state))
                case .produce:
                    let req = try ProduceRequest(from: &request.body, version: v)
                    let body = produce(req, broker: broker, &state)
                    if state.dropAfterProduce > 0 {
                        state.dropAfterProduce -= 1
                        return .close
                    }
                    return req.acks == 0 ? .silent : respond(ProduceRequest.self, v, id, body)
                case .fetch:
                    let req = try FetchRequest(from: &request.body, version: v)
                    let (body, empty) = fetch(req, version: v, broker: broker, &state)
                    let wait: Duration = empty ? .milliseconds(Int64(req.maxWaitMs)) : .zero
                    return .respond(
                        RequestFraming.responseFrame(
                            FetchRequest.self, version: v, correlationId: id, body: body),
                        delay: wait)
                case .listOffsets:
                    let req = try ListOffsetsRequest(from: &request.body, version: v)
                    return respond(
                        ListOffsetsRequest.self, v, id, listOffsets(req, broker: broker, state))
                case .createTopics:
                    let req = try CreateTopicsRequest(from: &request.body, version: v)
                    return respond(
                        CreateTopicsRequest.self, v, id, createTopics(req, brokers: brokers, &state)
                    )
                case .deleteTopics:
                    let req = try DeleteTopicsRequest(from: &request.body, version: v)
                    let results = req.topics.map { topic in
                        let name = topic.name ?? ""
                        let existed = state.topics.removeValue(forKey: name) != nil
                        return DeleteTopicsResponse.TopicResult(
                            name: name, errorCode: existed ? .none : .unknownTopicOrPartition)
                    }
                    return respond(
                        DeleteTopicsRequest.self, v, id, DeleteTopicsResponse(responses: results))
                case .initProducerId:
                    let req = try InitProducerIdRequest(from: &request.body, version: v)
                    var body = InitProducerIdResponse(
                        errorCode: .none, producerId: 0, producerEpoch: 0)
                    if req.producerId >= 0 && req.producerEpoch >= 0 {
                        body.producerId = req.producerId
                        body.producerEpoch = req.producerEpoch + 1
                    } else {
                        body.producerId = state.nextProducerId
                        state.nextProducerId += 1
                    }
                    return respond(InitProducerIdRequest.self, v, id, body)
                case .describeCluster:
                    _ = try DescribeClusterRequest(from: &request.body, version: v)
                    let body = DescribeClusterResponse(
                        clusterId: "fake-cluster", controllerId: brokers.first ?? 1,
                        brokers: brokers.map {
                            .init(
                                brokerId: $0, host: "127.0.0.1", port: Int32(state.ports[$0] ?? 0))
                        })
                    return respond(DescribeClusterRequest.self, v, id, body)
                case .describeConfigs:
                    let req = try DescribeConfigsRequest(from: &request.body, version: v)
                    return respond(DescribeConfigsRequest.self, v, id, describeConfigs(req, state))
                default:
                    return .close
                }
            } catch {
                return .close
            }
        }
    }

    private static func respond<R: KafkaRequest>(
        _ type: R.Type, _ version: Int16, _ correlationId: Int32, _ body: R.Response
    ) -> Reply {
        .respond(
            RequestFraming.responseFrame(
                R.self, version: version, correlationId: correlationId, body: body),
            delay: .zero)
    }

    // MARK: - APIs

    private static func metadata(_ req: MetadataRequest, _ state: State) -> MetadataResponse {
        let names = req.topics?.compactMap(\.name) ?? state.topics.keys.sorted()
        let topics = names.map { name -> MetadataResponse.Topic in
            guard let topic = state.topics[name] else {
                return MetadataResponse.Topic(errorCode: .unknownTopicOrPartition, name: name)
            }
            return MetadataResponse.Topic(
                name: name, topicId: topic.id,
                partitions: topic.partitions.enumerated().map { index, p in
                    MetadataResponse.Partition(
                        errorCode: p.leader < 0 ? .leaderNotAvailable : .none,
                        partitionIndex: Int32(index), leaderId: p.leader,
                        leaderEpoch: p.leaderEpoch,
                        replicaNodes: [max(p.leader, 1)], isrNodes: p.leader < 0 ? [] : [p.leader])
                })
        }
        return MetadataResponse(
            brokers: state.ports.keys.sorted().map {
                .init(nodeId: $0, host: "127.0.0.1", port: Int32(state.ports[$0] ?? 0))
            },
            clusterId: "fake-cluster", controllerId: state.ports.keys.min() ?? 1, topics: topics)
    }

    private static func produce(_ req: ProduceRequest, broker: Int32, _ state: inout State)
        -> ProduceResponse
    {
        var responses: [ProduceResponse.TopicResponse] = []
        for topic in req.topicData {
            var partitions: [ProduceResponse.PartitionResponse] = []
            for data in topic.partitionData {
                let tp = TopicPartition(topic.name, data.index)
                partitions.append(produce(tp, data.records, broker: broker, &state))
            }
            responses.append(.init(name: topic.name, partitionResponses: partitions))
        }
        return ProduceResponse(responses: responses)
    }

    private static func produce(
        _ tp: TopicPartition, _ records: ByteBuffer?, broker: Int32, _ state: inout State
    ) -> ProduceResponse.PartitionResponse {
        func fail(_ code: ErrorCode) -> ProduceResponse.PartitionResponse {
            .init(index: tp.partition, errorCode: code)
        }
        guard let partition = state.topics[tp.topic]?.partitions[safe: Int(tp.partition)] else {
            return fail(.unknownTopicOrPartition)
        }
        if var errors = state.produceErrors[tp], !errors.isEmpty {
            let code = errors.removeFirst()
            state.produceErrors[tp] = errors
            return fail(code)
        }
        guard partition.leader == broker else { return fail(.notLeaderOrFollower) }
        guard let records, let header = RecordBatchHeader(records, at: records.readerIndex) else {
            return fail(.corruptMessage)
        }
        if header.producerId >= 0 {
            let key = "\(header.producerId)/\(tp)"
            let entry = state.producers[key]
            if let entry, header.producerEpoch < entry.epoch { return fail(.invalidProducerEpoch) }
            let newEpoch = entry.map { header.producerEpoch > $0.epoch } ?? true
            if newEpoch {
                guard header.baseSequence == 0 else { return fail(.outOfOrderSequenceNumber) }
            } else if let entry {
                if header.baseSequence <= entry.lastSequence {
                    return fail(.duplicateSequenceNumber)
                }
                if header.baseSequence != entry.lastSequence + 1 {
                    return fail(.outOfOrderSequenceNumber)
                }
            }
            state.producers[key] = ProducerEntry(
                epoch: header.producerEpoch,
                lastSequence: header.baseSequence + header.lastOffsetDelta)
        }
        guard let base = appendBatch(&state, tp, records) else { return fail(.corruptMessage) }
        if let stored = state.topics[tp.topic]?.partitions[Int(tp.partition)].batches.last,
            let stamped = RecordBatchHeader(stored.bytes, at: stored.bytes.readerIndex)
        {
            state.produced.append(Produced(broker: broker, topicPartition: tp, header: stamped))
        }
        return .init(
            index: tp.partition, errorCode: .none, baseOffset: base,
            logStartOffset: partition.logStart)
    }

    private static func fetch(
        _ req: FetchRequest, version: Int16, broker: Int32, _ state: inout State
    ) -> (FetchResponse, empty: Bool) {
        var empty = true
        var responses: [FetchResponse.FetchableTopicResponse] = []
        for topic in req.topics {
            let name: String?
            if version >= 13 {
                state.fetchedTopicIds.append(topic.topicId)
                name = state.topics.first { $0.value.id == topic.topicId }?.key
            } else {
                name = topic.topic
            }
            var partitions: [FetchResponse.PartitionData] = []
            for asked in topic.partitions {
                var data = FetchResponse.PartitionData(partitionIndex: asked.partition)
                defer { partitions.append(data) }
                guard let name else {
                    data.errorCode = .unknownTopicId
                    continue
                }
                let tp = TopicPartition(name, asked.partition)
                guard let partition = state.topics[name]?.partitions[safe: Int(asked.partition)]
                else {
                    data.errorCode = .unknownTopicOrPartition
                    continue
                }
                if var errors = state.fetchErrors[tp], !errors.isEmpty {
                    data.errorCode = errors.removeFirst()
                    state.fetchErrors[tp] = errors
                    empty = false
                    continue
                }
                guard partition.leader == broker else {
                    data.errorCode = .notLeaderOrFollower
                    empty = false
                    continue
                }
                data.highWatermark = partition.logEnd
                data.lastStableOffset = partition.logEnd
                data.logStartOffset = partition.logStart
                guard
                    asked.fetchOffset >= partition.logStart && asked.fetchOffset <= partition.logEnd
                else {
                    data.errorCode = .offsetOutOfRange
                    empty = false
                    continue
                }
                var out = ByteBuffer()
                for batch in partition.batches where batch.lastOffset >= asked.fetchOffset {
                    if out.readableBytes > 0
                        && out.readableBytes + batch.bytes.readableBytes
                            > Int(asked.partitionMaxBytes)
                    {
                        // Like Kafka, send the start of the next batch too: a partial tail.
                        var cut = batch.bytes
                        if let slice = cut.readSlice(length: min(20, cut.readableBytes)) {
                            var slice = slice
                            out.writeBuffer(&slice)
                        }
                        break
                    }
                    var bytes = batch.bytes
                    out.writeBuffer(&bytes)
                }
                if out.readableBytes > 0 { empty = false }
                data.records = out
            }
            responses.append(
                version >= 13
                    ? .init(topicId: topic.topicId, partitions: partitions)
                    : .init(topic: topic.topic, partitions: partitions))
        }
        return (FetchResponse(responses: responses), empty)
    }

    private static func listOffsets(_ req: ListOffsetsRequest, broker: Int32, _ state: State)
        -> ListOffsetsResponse
    {
        ListOffsetsResponse(
            topics: req.topics.map { topic in
                ListOffsetsResponse.Topic(
                    name: topic.name,
                    partitions: topic.partitions.map { asked in
                        var answer = ListOffsetsResponse.Partition(
                            partitionIndex: asked.partitionIndex)
                        guard
                            let p = state.topics[topic.name]?.partitions[
                                safe: Int(asked.partitionIndex)]
                        else {
                            answer.errorCode = .unknownTopicOrPartition
                            return answer
                        }
                        guard p.leader == broker else {
                            answer.errorCode = .notLeaderOrFollower
                            return answer
                        }
                        answer.leaderEpoch = p.leaderEpoch
                        let all = p.batches.flatMap { b in
                            b.timestamps.enumerated().map {
                                (b.baseOffset + Int64($0.offset), $0.element)
                            }
                        }
                        switch asked.timestamp {
                        case ListOffsetsRequest.earliestTimestamp: answer.offset = p.logStart
                        case ListOffsetsRequest.latestTimestamp: answer.offset = p.logEnd
                        case ListOffsetsRequest.maxTimestamp:
                            if let best = all.max(by: {
                                $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 > $1.0)
                            }) {
                                (answer.offset, answer.timestamp) = best
                            }
                        default:
                            if let first = all.first(where: { $0.1 >= asked.timestamp }) {
                                (answer.offset, answer.timestamp) = first
                            }
                        }
                        return answer
                    })
            })
    }

    private static func createTopics(
        _ req: CreateTopicsRequest, brokers: [Int32], _ state: inout State
    ) -> CreateTopicsResponse {
        let injected =
            state.createTopicsErrors.isEmpty ? nil : state.createTopicsErrors.removeFirst()
        return CreateTopicsResponse(
            topics: req.topics.map { topic in
                var result = CreateTopicsResponse.Topic(name: topic.name)
                if let injected {
                    result.errorCode = injected
                    return result
                }
                let partitions = topic.numPartitions == -1 ? 1 : Int(topic.numPartitions)
                let factor = topic.replicationFactor == -1 ? 1 : Int(topic.replicationFactor)
                if state.topics[topic.name] != nil {
                    result.errorCode = .topicAlreadyExists
                    result.errorMessage = "Topic '\(topic.name)' already exists."
                } else if partitions <= 0 {
                    result.errorCode = .invalidPartitions
                    result.errorMessage = "Number of partitions must be larger than 0."
                } else if factor > brokers.count {
                    result.errorCode = .invalidReplicationFactor
                    result.errorMessage =
                        "Replication factor: \(factor) larger than available brokers: \(brokers.count)."
                } else {
                    result.numPartitions = Int32(partitions)
                    result.replicationFactor = Int16(factor)
                    if !req.validateOnly {
                        result.topicId = create(
                            &state, name: topic.name, partitions: partitions, leaders: nil,
                            brokers: brokers)
                        for config in topic.configs {
                            state.topics[topic.name]?.configs[config.name] = config.value
                        }
                    }
                }
                return result
            })
    }

    private static func describeConfigs(_ req: DescribeConfigsRequest, _ state: State)
        -> DescribeConfigsResponse
    {
        DescribeConfigsResponse(
            results: req.resources.map { resource in
                guard let topic = state.topics[resource.resourceName] else {
                    return .init(
                        errorCode: .unknownTopicOrPartition,
                        errorMessage: "Topic \(resource.resourceName) does not exist",
                        resourceType: resource.resourceType, resourceName: resource.resourceName)
                }
                var configs = ["cleanup.policy": "delete", "retention.ms": "604800000"]
                for (name, value) in topic.configs { configs[name] = value }
                return .init(
                    resourceType: resource.resourceType, resourceName: resource.resourceName,
                    configs: configs.keys.sorted().map { name in
                        .init(
                            name: name, value: configs[name],
                            configSource: topic.configs[name] != nil ? 1 : 5)
                    })
            })
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
