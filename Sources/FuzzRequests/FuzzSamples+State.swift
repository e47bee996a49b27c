// Fuzz harness: requests that name the template's real topics, group, members and producers
// (FuzzState), so that mutations start from frames that reach append, fetch, retention,
// DeleteRecords, configs, CreatePartitions and the group coordinator; and scripted sequences.

import Cluster
import NIOCore

/// One step of a scripted sequence: time to let pass first (in 250 ms steps), then a frame.
struct FuzzStep {
    var step: UInt8 = 0
    var frame: ByteBuffer

    init<R: KafkaRequest>(_ request: R, after step: UInt8 = 0, version: Int16 = R.versions.upperBound) {
        self.step = step
        frame = FuzzStateSamples.frame(request, version: version)
    }
}

enum FuzzStateSamples {
    static var state: FuzzState { FuzzState.template }
    static var leader: String { state.memberIds[0] }
    static var follower: String { state.memberIds[1] }

    static func frame<R: KafkaRequest>(_ request: R, version: Int16) -> ByteBuffer {
        var frame = RequestFraming.requestFrame(request, version: version, correlationId: 7, clientId: "fuzz-seed")
        frame.moveReaderIndex(forwardBy: 4)
        return frame
    }

    static func topicId(_ name: String) -> Uuid { state.controller.image.topic(name)?.id ?? .zero }

    // MARK: - Records

    static func records(_ count: Int, producerId: Int64 = -1, epoch: Int16 = 0, sequence: Int32 = -1) -> ByteBuffer {
        var builder = RecordBatchBuilder(
            compression: count > 2 ? .gzip : .none, producerId: producerId,
            producerEpoch: producerId < 0 ? -1 : epoch, baseSequence: sequence)
        do {
            try builder.append(contentsOf: (0..<count).map { i in
                RecordBatchBuilder.Entry(
                    key: Array("k\(i)".utf8), value: Array(repeating: 0x62, count: 100),
                    timestamp: FuzzState.startWallClockMs + Int64(i))
            })
            return try builder.build()
        } catch {
            preconditionFailure("sample batch does not build: \(error)")
        }
    }

    static func produce(_ topic: String, _ partition: Int32, _ batch: ByteBuffer, acks: Int16 = -1) -> ProduceRequest {
        ProduceRequest(acks: acks, timeoutMs: 1_000, topicData: [
            .init(name: topic, partitionData: [.init(index: partition, records: batch)])
        ])
    }

    static func fetch(_ topic: String, _ partition: Int32, at offset: Int64, maxWaitMs: Int32 = 0, isolation: Int8 = 0)
        -> FetchRequest
    {
        FetchRequest(maxWaitMs: maxWaitMs, minBytes: 1, maxBytes: 65_536, isolationLevel: isolation, topics: [
            .init(topic: topic, topicId: topicId(topic), partitions: [
                .init(partition: partition, fetchOffset: offset, partitionMaxBytes: 4_096)
            ])
        ])
    }

    static func listOffsets(_ topic: String, _ partition: Int32, _ timestamp: Int64) -> ListOffsetsRequest {
        ListOffsetsRequest(isolationLevel: 1, topics: [
            .init(name: topic, partitions: [.init(partitionIndex: partition, timestamp: timestamp)])
        ])
    }

    static func deleteRecords(_ topic: String, _ partition: Int32, before offset: Int64) -> DeleteRecordsRequest {
        DeleteRecordsRequest(topics: [.init(name: topic, partitions: [.init(partitionIndex: partition, offset: offset)])])
    }

    static func alter(_ topic: String, _ name: String, _ value: String?) -> IncrementalAlterConfigsRequest {
        IncrementalAlterConfigsRequest(resources: [
            .init(resourceType: DescribeConfigsRequest.topicResourceType, resourceName: topic, configs: [
                .init(name: name, configOperation: value == nil ? .delete : .set, value: value)
            ])
        ])
    }

    // MARK: - Groups

    static func join(_ memberId: String) -> JoinGroupRequest {
        JoinGroupRequest(
            groupId: FuzzState.group, sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 60_000, memberId: memberId,
            protocolType: "consumer", protocols: [
                .init(name: "range", metadata: ConsumerProtocolSubscription(topics: ["orders", "payments"]).encoded())
            ])
    }

    static func sync(_ memberId: String, generation: Int32, assign: Bool) -> SyncGroupRequest {
        let assignment = ConsumerProtocolAssignment(assignedPartitions: [.init(topic: "orders", partitions: [0, 1, 2])])
        return SyncGroupRequest(
            groupId: FuzzState.group, generationId: generation, memberId: memberId, protocolType: "consumer",
            protocolName: "range", assignments: assign ? [.init(memberId: memberId, assignment: assignment.encoded())] : [])
    }

    static func commit(_ memberId: String, generation: Int32, offset: Int64) -> OffsetCommitRequest {
        OffsetCommitRequest(
            groupId: FuzzState.group, generationIdOrMemberEpoch: generation, memberId: memberId, topics: [
                .init(name: "orders", partitions: [.init(partitionIndex: 2, committedOffset: offset, committedMetadata: "m")])
            ])
    }

    static var offsetFetch: OffsetFetchRequest {
        OffsetFetchRequest(groups: [
            .init(groupId: FuzzState.group, topics: [.init(name: "orders", partitionIndexes: [0, 1, 2])]),
            .init(groupId: FuzzState.simpleGroup, topics: nil),
        ], requireStable: true)
    }

    static var heartbeat: HeartbeatRequest {
        HeartbeatRequest(groupId: FuzzState.group, generationId: state.generation, memberId: leader)
    }

    // MARK: - Single requests, each at every version (the frames corpus)

    static var singleFrames: [(name: String, frame: ByteBuffer)] {
        var out: [(name: String, frame: ByteBuffer)] = []
        func add<R: KafkaRequest>(_ name: String, _ request: R) {
            for version in R.versions { out.append(("state-\(name)-v\(version)", frame(request, version: version))) }
        }
        let pid = state.producerIds[0]
        add("produce-orders", produce("orders", 0, records(3), acks: 1))
        add("produce-idempotent", produce("orders", 1, records(2, producerId: pid, sequence: state.nextSequence)))
        add("produce-duplicate", produce("orders", 1, records(3, producerId: pid, sequence: 3)))
        add("produce-payments-acks-all", produce("payments", 0, records(1)))
        add("produce-audit-acks-0", produce("audit", 0, records(2), acks: 0))
        add("fetch-orders", fetch("orders", 0, at: 3))
        add("fetch-payments-committed", fetch("payments", 0, at: 0, isolation: 1))
        add("fetch-long-poll", fetch("orders", 2, at: 36, maxWaitMs: 500))
        add("list-offsets-earliest", listOffsets("orders", 0, ListOffsetsRequest.earliestTimestamp))
        add("list-offsets-time", listOffsets("audit", 0, FuzzState.startWallClockMs - 59_000))
        add("offset-for-leader-epoch", OffsetForLeaderEpochRequest(
            replicaId: OffsetForLeaderEpochRequest.consumerReplicaId,
            topics: [.init(topic: "orders", partitions: [.init(partition: 0, leaderEpoch: 0)])]))
        add("delete-records-orders", deleteRecords("orders", 0, before: 10))
        add("delete-records-payments-hw", deleteRecords("payments", 0, before: DeleteRecordsRequest.highWatermark))
        add("delete-records-payments-end", deleteRecords("payments", 0, before: 4))
        add("describe-configs", DescribeConfigsRequest(resources: [
            .init(resourceType: DescribeConfigsRequest.topicResourceType, resourceName: "orders"),
            .init(resourceType: DescribeConfigsRequest.brokerResourceType, resourceName: "1"),
        ], includeSynonyms: true))
        add("alter-configs", AlterConfigsRequest(resources: [
            .init(resourceType: DescribeConfigsRequest.topicResourceType, resourceName: "orders",
                  configs: [.init(name: "retention.ms", value: "1000"), .init(name: "segment.bytes", value: "2048")])
        ], validateOnly: false))
        add("incremental-alter-configs", alter("audit", "retention.bytes", "1024"))
        add("create-partitions", CreatePartitionsRequest(topics: [.init(name: "orders", count: 5, assignments: nil)]))
        add("create-topics", CreateTopicsRequest(topics: [
            .init(name: "fresh", numPartitions: 2, replicationFactor: 1, configs: [.init(name: "segment.bytes", value: "1024")])
        ]))
        add("delete-topics", DeleteTopicsRequest(topics: [.init(name: "audit")], timeoutMs: 1_000))
        add("init-producer-id", InitProducerIdRequest())
        add("init-producer-id-bump", InitProducerIdRequest(producerId: pid, producerEpoch: 0))
        add("metadata", MetadataRequest(topics: FuzzState.topics.map { .init(name: $0) }))
        add("rejoin-leader", join(leader))
        add("join-new", join(""))
        add("sync-leader", sync(leader, generation: state.generation, assign: true))
        add("heartbeat", heartbeat)
        add("commit", commit(leader, generation: state.generation, offset: 20))
        add("commit-simple", OffsetCommitRequest(groupId: FuzzState.simpleGroup, topics: [
            .init(name: "audit", partitions: [.init(partitionIndex: 0, committedOffset: 8)])
        ]))
        add("offset-fetch", offsetFetch)
        add("leave", LeaveGroupRequest(groupId: FuzzState.group, members: [.init(memberId: follower, reason: "bye")]))
        add("describe-groups", DescribeGroupsRequest(groups: [FuzzState.group, FuzzState.simpleGroup]))
        add("list-groups", ListGroupsRequest())
        add("delete-groups", DeleteGroupsRequest(groupsNames: [FuzzState.simpleGroup, FuzzState.group]))
        add("offset-delete", OffsetDeleteRequest(groupId: FuzzState.simpleGroup, topics: [.init(name: "audit", partitionIndexes: [0])]))
        return out
    }

    // MARK: - Sequences

    static var sequences: [(name: String, steps: [FuzzStep])] {
        let pid = state.producerIds[0]
        let generation = state.generation
        return [
            ("produce-fetch", [
                FuzzStep(produce("orders", 0, records(3), acks: 1)), FuzzStep(fetch("orders", 0, at: 36)),
                FuzzStep(listOffsets("orders", 0, ListOffsetsRequest.latestTimestamp)),
            ]),
            ("long-poll-then-produce", [
                FuzzStep(fetch("orders", 0, at: 36, maxWaitMs: 2_000)), FuzzStep(produce("orders", 0, records(1), acks: 1)),
                FuzzStep(fetch("orders", 1, at: 50, maxWaitMs: 500)), FuzzStep(ListGroupsRequest(), after: 4),
            ]),
            ("idempotent", [
                FuzzStep(produce("orders", 1, records(2, producerId: pid, sequence: state.nextSequence))),
                FuzzStep(produce("orders", 1, records(2, producerId: pid, sequence: state.nextSequence))),
                FuzzStep(produce("orders", 1, records(2, producerId: pid, sequence: state.nextSequence + 5))),
                FuzzStep(produce("orders", 1, records(2, producerId: pid, epoch: 1, sequence: 0))),
            ]),
            ("new-producer", [
                FuzzStep(InitProducerIdRequest()), FuzzStep(produce("orders", 2, records(2, producerId: 2_000, sequence: 0))),
                FuzzStep(produce("orders", 2, records(2, producerId: 2_000, sequence: 2))),
                FuzzStep(fetch("orders", 2, at: 40)),
            ]),
            ("rebalance", [
                FuzzStep(join(leader)), FuzzStep(join(follower), after: 1),
                FuzzStep(sync(leader, generation: generation + 1, assign: true), after: 2),
                FuzzStep(sync(follower, generation: generation + 1, assign: false)),
                FuzzStep(HeartbeatRequest(groupId: FuzzState.group, generationId: generation + 1, memberId: leader)),
                FuzzStep(commit(leader, generation: generation + 1, offset: 12)), FuzzStep(offsetFetch),
            ]),
            ("stable-group", [
                FuzzStep(heartbeat), FuzzStep(commit(follower, generation: generation, offset: 7)),
                FuzzStep(LeaveGroupRequest(groupId: FuzzState.group, members: [.init(memberId: follower)])),
                FuzzStep(DescribeGroupsRequest(groups: [FuzzState.group]), after: 130),
                FuzzStep(heartbeat), FuzzStep(offsetFetch),
            ]),
            ("join-new-member", [
                FuzzStep(join("")), FuzzStep(join(""), after: 2), FuzzStep(DescribeGroupsRequest(groups: [FuzzState.group]), after: 4),
            ]),
            ("retention", [
                FuzzStep(alter("orders", "retention.ms", "1000")),
                FuzzStep(listOffsets("orders", 0, ListOffsetsRequest.earliestTimestamp), after: 30),
                FuzzStep(fetch("orders", 0, at: 0)), FuzzStep(produce("orders", 0, records(3), acks: 1)),
            ]),
            ("segment-size", [
                FuzzStep(alter("payments", "segment.bytes", "4096")), FuzzStep(produce("payments", 1, records(5), acks: 1)),
                FuzzStep(alter("payments", "segment.bytes", nil)), FuzzStep(produce("payments", 1, records(5), acks: 1)),
            ]),
            ("create-partitions", [
                FuzzStep(CreatePartitionsRequest(topics: [.init(name: "orders", count: 5, assignments: nil)])),
                FuzzStep(produce("orders", 4, records(2), acks: 1)), FuzzStep(fetch("orders", 4, at: 0)),
                FuzzStep(MetadataRequest(topics: [.init(name: "orders")])),
            ]),
            ("delete-records", [
                FuzzStep(deleteRecords("orders", 0, before: 10)), FuzzStep(fetch("orders", 0, at: 0)),
                FuzzStep(listOffsets("orders", 0, ListOffsetsRequest.earliestTimestamp)),
                FuzzStep(deleteRecords("payments", 0, before: 4)), FuzzStep(fetch("payments", 0, at: 0)),
            ]),
            ("recreate-topic", [
                FuzzStep(DeleteTopicsRequest(topics: [.init(name: "audit")])),
                FuzzStep(CreateTopicsRequest(topics: [.init(name: "audit", numPartitions: 2, replicationFactor: 1)])),
                FuzzStep(produce("audit", 1, records(2), acks: 1)), FuzzStep(fetch("audit", 1, at: 0)),
            ]),
            ("acks-all-timeout", [
                FuzzStep(produce("payments", 0, records(2))), FuzzStep(fetch("payments", 0, at: 0, isolation: 1), after: 5),
                FuzzStep(OffsetForLeaderEpochRequest(
                    replicaId: OffsetForLeaderEpochRequest.consumerReplicaId,
                    topics: [.init(topic: "payments", partitions: [.init(partition: 0, leaderEpoch: 0)])])),
            ]),
            ("group-admin", [
                FuzzStep(OffsetDeleteRequest(groupId: FuzzState.simpleGroup, topics: [.init(name: "audit", partitionIndexes: [0])])),
                FuzzStep(DeleteGroupsRequest(groupsNames: [FuzzState.simpleGroup, FuzzState.group])),
                FuzzStep(ListGroupsRequest()), FuzzStep(offsetFetch),
            ]),
        ]
    }
}
