// Fuzz harness: valid requests and responses of every API, rich enough that each version's
// fields, nullable values and tagged fields appear in the seed corpus.

import Cluster
import NIOCore

/// Sample messages for the seed corpus; each is encoded at every supported version.
enum FuzzSamples {
    static let topicId = Uuid(
        mostSignificantBits: 0x0102_0304_0506_0708, leastSignificantBits: 0x090A_0B0C_0D0E_0F10)

    // MARK: - Record batches

    /// A RecordBatch v2 of three records (keys, a null value, headers), as a producer sends it.
    static func batch(
        _ compression: CompressionCodec, producerId: Int64 = -1, transactional: Bool = false
    )
        -> ByteBuffer
    {
        var builder = RecordBatchBuilder(
            compression: compression, producerId: producerId,
            producerEpoch: producerId < 0 ? -1 : 0,
            baseSequence: producerId < 0 ? -1 : 0, isTransactional: transactional)
        let entries = [
            RecordBatchBuilder.Entry(
                key: Array("k1".utf8), value: Array("hello".utf8), timestamp: 1_700_000_000_000),
            RecordBatchBuilder.Entry(
                key: nil, value: nil, headers: [RecordHeader(key: "trace", value: [1, 2, 3])],
                timestamp: 1_700_000_000_005),
            RecordBatchBuilder.Entry(
                key: Array("k3".utf8), value: Array(repeating: 0x61, count: 40),
                headers: [RecordHeader(key: "h", value: nil)], timestamp: 1_699_999_999_999),
        ]
        do {
            try builder.append(contentsOf: entries)
            return try builder.build()
        } catch {
            preconditionFailure("sample batch does not build: \(error)")
        }
    }

    /// Raw RECORDS blobs for the batch readers: one batch, gzip, two in a row, a cut tail.
    static var recordBlobs: [(name: String, bytes: ByteBuffer)] {
        var two = batch(.none)
        var second = batch(.gzip, producerId: 42, transactional: true)
        RecordBatchView.stamp(
            &second, at: second.readerIndex, baseOffset: 3, partitionLeaderEpoch: 1)
        two.writeBuffer(&second)
        var cut = batch(.none)
        cut.writeBytes(batch(.none).readableBytesView.prefix(30))
        var appendTime = batch(.none)
        RecordBatchView.stampLogAppendTime(
            &appendTime, at: appendTime.readerIndex, timestamp: 1_700_000_001_000)
        return [
            ("batch-none", batch(.none)), ("batch-gzip", batch(.gzip)), ("batch-two", two),
            ("batch-cut-tail", cut), ("batch-log-append-time", appendTime),
        ]
    }

    // MARK: - Boundaries

    /// A STRING of the longest length a request may carry (`Limits.stringBytesMax`).
    static let longestString = String(repeating: "a", count: Limits.stringBytesMax)

    /// Frames (no size prefix) whose strings sit exactly at the length limit, in a classic
    /// (int16 length) and a flexible (compact) version: limits are where codecs go wrong.
    static var boundaryFrames: [(name: String, frame: ByteBuffer)] {
        let request = CreateTopicsRequest(topics: [
            .init(name: longestString, numPartitions: 1, replicationFactor: 1)
        ])
        return [Int16(4), 5].map { version in
            var frame = RequestFraming.requestFrame(
                request, version: version, correlationId: 7, clientId: longestString)
            frame.moveReaderIndex(forwardBy: 4)
            return ("request-CreateTopics-v\(version)-longest-strings", frame)
        }
    }

    // MARK: - Requests

    static let apiVersions = [
        ApiVersionsRequest(),
        ApiVersionsRequest(clientSoftwareName: "librdkafka", clientSoftwareVersion: "2.3.0"),
    ]
    static let metadata = [
        MetadataRequest(),
        MetadataRequest(
            topics: [.init(name: "orders"), .init(name: nil, topicId: topicId)],
            allowAutoTopicCreation: false,
            includeClusterAuthorizedOperations: true, includeTopicAuthorizedOperations: true),
    ]
    static let createTopics = [
        CreateTopicsRequest(
            topics: [
                .init(
                    name: "orders", numPartitions: 3, replicationFactor: 2,
                    configs: [
                        .init(name: "cleanup.policy", value: "compact"),
                        .init(name: "retention.ms", value: nil),
                    ]),
                .init(
                    name: "placed",
                    assignments: [
                        .init(partitionIndex: 0, brokerIds: [1, 2]),
                        .init(partitionIndex: 1, brokerIds: [2, 3]),
                    ]),
            ], timeoutMs: 30_000, validateOnly: true)
    ]
    static let deleteTopics = [
        DeleteTopicsRequest(
            topics: [.init(name: "orders"), .init(name: nil, topicId: topicId)], timeoutMs: 15_000)
    ]
    static let produce = [
        ProduceRequest(
            transactionalId: "tx-1", acks: -1, timeoutMs: 30_000,
            topicData: [
                .init(
                    name: "orders",
                    partitionData: [
                        .init(index: 0, records: batch(.none)),
                        .init(index: 1, records: batch(.gzip)),
                        .init(index: 2, records: nil),
                    ])
            ]),
        ProduceRequest(
            acks: 1,
            topicData: [.init(name: "t", partitionData: [.init(index: 0, records: ByteBuffer())])]),
    ]
    static let fetch = [
        FetchRequest(),
        FetchRequest(
            clusterId: "fuzz-cluster", replicaId: 2, replicaEpoch: 5, maxWaitMs: 500, minBytes: 1,
            maxBytes: 52_428_800, isolationLevel: 1, sessionId: 7, sessionEpoch: 3,
            topics: [
                .init(
                    topic: "orders", topicId: topicId,
                    partitions: [
                        .init(
                            partition: 0, currentLeaderEpoch: 4, fetchOffset: 100,
                            lastFetchedEpoch: 3,
                            logStartOffset: 0, partitionMaxBytes: 1_048_576)
                    ])
            ],
            forgottenTopicsData: [.init(topic: "old", topicId: topicId, partitions: [1, 2])],
            rackId: "rack-a"),
    ]
    static let listOffsets = [
        ListOffsetsRequest(
            replicaId: -1, isolationLevel: 1,
            topics: [
                .init(
                    name: "orders",
                    partitions: [
                        .init(
                            partitionIndex: 0, currentLeaderEpoch: 2,
                            timestamp: ListOffsetsRequest.earliestTimestamp),
                        .init(partitionIndex: 1, timestamp: 1_700_000_000_000),
                    ])
            ])
    ]
    static let offsetForLeaderEpoch = [
        OffsetForLeaderEpochRequest(
            replicaId: OffsetForLeaderEpochRequest.consumerReplicaId,
            topics: [
                .init(
                    topic: "orders",
                    partitions: [
                        .init(partition: 0, currentLeaderEpoch: 4, leaderEpoch: 3),
                        .init(partition: 1, leaderEpoch: 0),
                    ])
            ])
    ]
    static let describeConfigs = [
        DescribeConfigsRequest(
            resources: [
                .init(
                    resourceType: DescribeConfigsRequest.topicResourceType, resourceName: "orders",
                    configurationKeys: ["cleanup.policy"]),
                .init(resourceType: DescribeConfigsRequest.brokerResourceType, resourceName: "1"),
            ], includeSynonyms: true, includeDocumentation: true)
    ]
    static let describeCluster = [
        DescribeClusterRequest(
            includeClusterAuthorizedOperations: true,
            endpointType: DescribeClusterRequest.controllersEndpointType,
            includeFencedBrokers: true)
    ]
    static let describeQuorum = [DescribeQuorumRequest()]
    static let describeQuorumResponses = [
        DescribeQuorumResponse(topics: [.init(partitions: [.init(
            leaderId: 1, leaderEpoch: 2, highWatermark: 10,
            currentVoters: [.init(replicaId: 1, logEndOffset: 10, lastFetchTimestamp: 5, lastCaughtUpTimestamp: 5)],
            observers: [.init(replicaId: 4, logEndOffset: 9, lastFetchTimestamp: 4, lastCaughtUpTimestamp: 3)])])]),
        DescribeQuorumResponse(errorCode: .notController, errorMessage: "not the controller"),
    ]
    static let electLeaders = [
        ElectLeadersRequest(),
        ElectLeadersRequest(
            electionType: .unclean,
            topicPartitions: [.init(topic: "orders", partitions: [0, 2]), .init(topic: "t", partitions: [])],
            timeoutMs: 30_000),
    ]
    static let electLeadersResponses = [
        ElectLeadersResponse(replicaElectionResults: [
            .init(topic: "orders", partitionResult: [
                .init(partitionId: 0),
                .init(partitionId: 1, errorCode: .electionNotNeeded, errorMessage: "Leader election not needed for topic partition."),
            ])
        ]),
        ElectLeadersResponse(throttleTimeMs: 3, errorCode: .notController),
    ]
    static let initProducerId = [
        InitProducerIdRequest(),
        InitProducerIdRequest(
            transactionalId: "tx-1", transactionTimeoutMs: 60_000, producerId: 1_000,
            producerEpoch: 2),
    ]

    // MARK: - Responses

    static let apiVersionsResponses = [
        ApiVersionsResponse(
            apiKeys: Broker.advertisedApiVersions + [
                .init(apiKey: .fetch, minVersion: 4, maxVersion: 16)
            ],
            throttleTimeMs: 5, finalizedFeaturesEpoch: 3, zkMigrationReady: true)
    ]
    static let metadataResponses = [
        MetadataResponse(
            throttleTimeMs: 1,
            brokers: [.init(nodeId: 1, host: "127.0.0.1", port: 9092, rack: "a")],
            clusterId: "fuzz-cluster", controllerId: 1,
            topics: [
                .init(
                    name: "orders", topicId: topicId,
                    partitions: [
                        .init(
                            partitionIndex: 0, leaderId: 1, leaderEpoch: 2, replicaNodes: [1, 2],
                            isrNodes: [1],
                            offlineReplicas: [2])
                    ], topicAuthorizedOperations: 0x0F),
                .init(errorCode: .unknownTopicOrPartition, name: nil),
            ], clusterAuthorizedOperations: 0x1F)
    ]
    static let createTopicsResponses = [
        CreateTopicsResponse(
            throttleTimeMs: 2,
            topics: [
                .init(
                    name: "orders", topicId: topicId, numPartitions: 3, replicationFactor: 2,
                    configs: [
                        .init(
                            name: "cleanup.policy", value: "compact", configSource: 1,
                            isSensitive: true)
                    ]),
                .init(
                    name: "bad", errorCode: .invalidTopicException, errorMessage: "no",
                    topicConfigErrorCode: .invalidTopicException,
                    configs: nil),
            ])
    ]
    static let deleteTopicsResponses = [
        DeleteTopicsResponse(
            throttleTimeMs: 3,
            responses: [
                .init(name: "orders", topicId: topicId),
                .init(name: nil, errorCode: .unknownTopicOrPartition, errorMessage: "gone"),
            ])
    ]
    static let produceResponses = [
        ProduceResponse(
            responses: [
                .init(
                    name: "orders",
                    partitionResponses: [
                        .init(
                            index: 0, baseOffset: 10, logAppendTimeMs: 1_700_000_000_000,
                            logStartOffset: 0),
                        .init(
                            index: 1, errorCode: .notLeaderOrFollower,
                            recordErrors: [.init(batchIndex: 0, batchIndexErrorMessage: "bad")],
                            errorMessage: "moved",
                            currentLeader: .init(leaderId: 2, leaderEpoch: 4)),
                    ])
            ], throttleTimeMs: 4,
            nodeEndpoints: [.init(nodeId: 2, host: "127.0.0.1", port: 9093, rack: nil)])
    ]
    static let fetchResponses = [
        FetchResponse(
            throttleTimeMs: 5, sessionId: 9,
            responses: [
                .init(
                    topic: "orders", topicId: topicId,
                    partitions: [
                        .init(
                            partitionIndex: 0, highWatermark: 3, lastStableOffset: 3,
                            logStartOffset: 0,
                            abortedTransactions: [.init(producerId: 42, firstOffset: 1)],
                            records: batch(.none)),
                        .init(
                            partitionIndex: 1, errorCode: .fencedLeaderEpoch,
                            divergingEpoch: .init(epoch: 2, endOffset: 50),
                            currentLeader: .init(leaderId: 2, leaderEpoch: 3),
                            snapshotId: .init(endOffset: 10, epoch: 1), preferredReadReplica: 2,
                            records: nil),
                    ])
            ], nodeEndpoints: [.init(nodeId: 2, host: "127.0.0.1", port: 9093, rack: "b")])
    ]
    static let listOffsetsResponses = [
        ListOffsetsResponse(
            throttleTimeMs: 6,
            topics: [
                .init(
                    name: "orders",
                    partitions: [
                        .init(
                            partitionIndex: 0, timestamp: 1_700_000_000_000, offset: 12,
                            leaderEpoch: 2),
                        .init(partitionIndex: 1, errorCode: .offsetNotAvailable),
                    ])
            ])
    ]
    static let offsetForLeaderEpochResponses = [
        OffsetForLeaderEpochResponse(
            throttleTimeMs: 3,
            topics: [
                .init(
                    topic: "orders",
                    partitions: [
                        .init(partition: 0, leaderEpoch: 3, endOffset: 120),
                        .init(errorCode: .fencedLeaderEpoch, partition: 1),
                    ])
            ])
    ]
    static let describeConfigsResponses = [
        DescribeConfigsResponse(
            throttleTimeMs: 7,
            results: [
                .init(
                    resourceType: DescribeConfigsRequest.topicResourceType, resourceName: "orders",
                    configs: [
                        .init(
                            name: "cleanup.policy", value: "compact", configSource: 1,
                            synonyms: [
                                .init(name: "log.cleanup.policy", value: "delete", source: 5)
                            ], configType: 2,
                            documentation: "How old segments are discarded."),
                        .init(name: "secret", value: nil, readOnly: true, isSensitive: true),
                    ]),
                .init(
                    errorCode: .invalidRequest, errorMessage: "no such broker", resourceType: 4,
                    resourceName: "9"),
            ])
    ]
    static let describeClusterResponses = [
        DescribeClusterResponse(
            throttleTimeMs: 8, errorMessage: "fine", clusterId: "fuzz-cluster", controllerId: 1,
            brokers: [.init(brokerId: 1, host: "127.0.0.1", port: 9092, rack: "a", isFenced: true)],
            clusterAuthorizedOperations: 0x7)
    ]
    static let initProducerIdResponses = [
        InitProducerIdResponse(throttleTimeMs: 9, producerId: 1_000, producerEpoch: 3),
        InitProducerIdResponse(errorCode: .coordinatorNotAvailable),
    ]

    // MARK: - Topic changes after creation

    static let incrementalAlterConfigs = [
        IncrementalAlterConfigsRequest(
            resources: [.init(resourceType: 2, resourceName: "orders", configs: [
                .init(name: "retention.ms", configOperation: .set, value: "60000"),
                .init(name: "segment.bytes", configOperation: .delete, value: nil),
            ])],
            validateOnly: true)
    ]
    static let incrementalAlterConfigsResponses = [
        IncrementalAlterConfigsResponse(
            throttleTimeMs: 1,
            responses: [.init(errorCode: .invalidConfig, errorMessage: "no", resourceType: 2, resourceName: "orders")])
    ]
    static let alterConfigs = [
        AlterConfigsRequest(
            resources: [.init(resourceType: 2, resourceName: "orders", configs: [.init(name: "retention.ms", value: "1")])],
            validateOnly: false)
    ]
    static let alterConfigsResponses = [
        AlterConfigsResponse(
            throttleTimeMs: 2, responses: [.init(errorCode: .none, errorMessage: nil, resourceType: 2, resourceName: "orders")])
    ]
    static let createPartitions = [
        CreatePartitionsRequest(topics: [.init(name: "orders", count: 6, assignments: nil)], timeoutMs: 1000, validateOnly: true),
        CreatePartitionsRequest(topics: [.init(name: "orders", count: 2, assignments: [.init(brokerIds: [1]), .init(brokerIds: [2])])]),
    ]
    static let createPartitionsResponses = [
        CreatePartitionsResponse(throttleTimeMs: 3, results: [.init(name: "orders", errorCode: .invalidPartitions, errorMessage: "fewer")])
    ]
    static let deleteRecords = [
        DeleteRecordsRequest(topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0, offset: 10), .init(partitionIndex: 1, offset: -1)])], timeoutMs: 500)
    ]
    static let deleteRecordsResponses = [
        DeleteRecordsResponse(throttleTimeMs: 4, topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0, lowWatermark: 10, errorCode: .none)])])
    ]
}
