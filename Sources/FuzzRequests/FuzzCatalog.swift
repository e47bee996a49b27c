// Fuzz harness: every API codec the fuzzer drives, with the version tables RequestFraming
// needs. A new request codec (JoinGroup, SyncGroup, ...) is one more line in `codecs`.

import Cluster

/// The APIs under fuzz, keyed as the broker keys them.
///
/// It must cover every request the broker handles (`Broker.handledRequests`); the harness
/// refuses to start otherwise, so a new handler cannot escape the fuzzer unnoticed.
enum FuzzCatalog {
    static let codecs: [FuzzCodec] = [
        FuzzCodec(
            ApiVersionsRequest.self, requests: FuzzSamples.apiVersions,
            responses: FuzzSamples.apiVersionsResponses),
        FuzzCodec(
            MetadataRequest.self, requests: FuzzSamples.metadata,
            responses: FuzzSamples.metadataResponses),
        FuzzCodec(
            CreateTopicsRequest.self, requests: FuzzSamples.createTopics,
            responses: FuzzSamples.createTopicsResponses),
        FuzzCodec(
            DeleteTopicsRequest.self, requests: FuzzSamples.deleteTopics,
            responses: FuzzSamples.deleteTopicsResponses),
        FuzzCodec(
            ProduceRequest.self, requests: FuzzSamples.produce,
            responses: FuzzSamples.produceResponses,
            visit: { request in
                for topic in request.topicData {
                    for partition in topic.partitionData {
                        if let records = partition.records { RecordBatchChecks.check(records) }
                    }
                }
            }),
        FuzzCodec(
            FetchRequest.self, requests: FuzzSamples.fetch,
            responses: FuzzSamples.fetchResponses,
            visitResponse: { response in
                for topic in response.responses {
                    for partition in topic.partitions {
                        if let records = partition.records { RecordBatchChecks.check(records) }
                    }
                }
            }),
        FuzzCodec(
            ListOffsetsRequest.self, requests: FuzzSamples.listOffsets,
            responses: FuzzSamples.listOffsetsResponses),
        FuzzCodec(
            OffsetForLeaderEpochRequest.self, requests: FuzzSamples.offsetForLeaderEpoch,
            responses: FuzzSamples.offsetForLeaderEpochResponses),
        FuzzCodec(
            DescribeConfigsRequest.self, requests: FuzzSamples.describeConfigs,
            responses: FuzzSamples.describeConfigsResponses),
        FuzzCodec(
            DescribeClusterRequest.self, requests: FuzzSamples.describeCluster,
            responses: FuzzSamples.describeClusterResponses),
        FuzzCodec(
            DescribeQuorumRequest.self, requests: FuzzSamples.describeQuorum,
            responses: FuzzSamples.describeQuorumResponses),
        FuzzCodec(
            ElectLeadersRequest.self, requests: FuzzSamples.electLeaders,
            responses: FuzzSamples.electLeadersResponses),
        FuzzCodec(
            InitProducerIdRequest.self, requests: FuzzSamples.initProducerId,
            responses: FuzzSamples.initProducerIdResponses),
        FuzzCodec(
            IncrementalAlterConfigsRequest.self, requests: FuzzSamples.incrementalAlterConfigs,
            responses: FuzzSamples.incrementalAlterConfigsResponses),
        FuzzCodec(
            AlterConfigsRequest.self, requests: FuzzSamples.alterConfigs,
            responses: FuzzSamples.alterConfigsResponses),
        FuzzCodec(
            CreatePartitionsRequest.self, requests: FuzzSamples.createPartitions,
            responses: FuzzSamples.createPartitionsResponses),
        FuzzCodec(
            DeleteRecordsRequest.self, requests: FuzzSamples.deleteRecords,
            responses: FuzzSamples.deleteRecordsResponses),
        FuzzCodec(
            FindCoordinatorRequest.self, requests: FuzzSamples.findCoordinator,
            responses: FuzzSamples.findCoordinatorResponses),
        FuzzCodec(
            JoinGroupRequest.self, requests: FuzzSamples.joinGroup,
            responses: FuzzSamples.joinGroupResponses),
        FuzzCodec(
            SyncGroupRequest.self, requests: FuzzSamples.syncGroup,
            responses: FuzzSamples.syncGroupResponses),
        FuzzCodec(
            HeartbeatRequest.self, requests: FuzzSamples.heartbeat,
            responses: FuzzSamples.heartbeatResponses),
        FuzzCodec(
            LeaveGroupRequest.self, requests: FuzzSamples.leaveGroup,
            responses: FuzzSamples.leaveGroupResponses),
        FuzzCodec(
            OffsetCommitRequest.self, requests: FuzzSamples.offsetCommit,
            responses: FuzzSamples.offsetCommitResponses),
        FuzzCodec(
            OffsetFetchRequest.self, requests: FuzzSamples.offsetFetch,
            responses: FuzzSamples.offsetFetchResponses),
        FuzzCodec(
            ListGroupsRequest.self, requests: FuzzSamples.listGroups,
            responses: FuzzSamples.listGroupsResponses),
        FuzzCodec(
            DescribeGroupsRequest.self, requests: FuzzSamples.describeGroups,
            responses: FuzzSamples.describeGroupsResponses),
        FuzzCodec(
            DeleteGroupsRequest.self, requests: FuzzSamples.deleteGroups,
            responses: FuzzSamples.deleteGroupsResponses),
        FuzzCodec(
            OffsetDeleteRequest.self, requests: FuzzSamples.offsetDelete,
            responses: FuzzSamples.offsetDeleteResponses),
    ]

    static let byKey: [ApiKey: FuzzCodec] = Dictionary(
        uniqueKeysWithValues: codecs.map { ($0.apiKey, $0) })
    static let supported: [ApiKey: ClosedRange<Int16>] = byKey.mapValues(\.versions)
    static let firstFlexible: [ApiKey: Int16] = byKey.compactMapValues(\.firstFlexibleVersion)

    static func codec(for key: ApiKey) -> FuzzCodec? { byKey[key] }

    /// The names of requests the broker handles that the catalog lacks, or nil if none.
    static func missingBrokerCodecs() -> String? {
        let missing = Broker.handledRequests
            .filter { byKey[$0.apiKey]?.versions != $0.versions }
            .map { $0.apiKey.name }
        return missing.isEmpty ? nil : missing.joined(separator: ", ")
    }
}
