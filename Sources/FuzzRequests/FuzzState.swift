// Fuzz harness: the state a fuzzed broker starts from, built once. Topics with small segments
// and records, idempotent producers, a stable consumer group with committed offsets; each
// input gets a copy of that broker on a copy of its disk, so inputs never see each other.

import Cluster
import NIOCore

/// The template every stateful input starts from, and the names samples use to reach it.
struct FuzzState {
    static let directory = "/fuzz/node-1"
    /// `orders`: 3 partitions on broker 1, 1 KiB segments, so appends roll segments.
    /// `payments`: 2 partitions on brokers 1 and 2; broker 2 never fetches, so the high
    /// watermark stays behind the log end. `audit`: retention.ms 2 minutes.
    static let topics = ["orders", "payments", "audit"]
    static let group = "fuzz-group"
    /// A group that only commits offsets (generation -1), as a simple consumer does.
    static let simpleGroup = "fuzz-reports"
    /// Kafka's records carry wall-clock timestamps; the samples' are from this era.
    static let startWallClockMs: Int64 = 1_700_000_060_000

    /// The controller, holding the image the broker follows.
    let controller: QuorumController
    /// The broker as the template left it, its logs open on `disk`.
    let broker: Broker
    /// The broker's disk as the template left it (files and open handles); copied, never used.
    let snapshot: MemoryFileSystem
    let now: Instant
    let wallClockMs: Int64
    /// The stable group's members, leader first, and its generation.
    let memberIds: [String]
    let generation: Int32
    /// Producers that have appended (InitProducerId, then batches), with their next sequence
    /// on `orders` partition 1 and 2.
    let producerIds: [Int64]
    let nextSequence: Int32

    // Single-threaded: libFuzzer calls the harness from one thread.
    nonisolated(unsafe) static let disk = FuzzDisk(MemoryFileSystem())
    nonisolated(unsafe) static let template = FuzzState.build()

    /// A copy of the template broker on a fresh copy of its disk.
    func world() -> FuzzWorld {
        // Each log keeps the closed segments it read from open in a cache, a class that every
        // copy of the log shares: what the last input opened is still there, on the last
        // input's disk. Closing a copy of each template log empties them, so every input
        // starts from the same state (the copies' active segments close on the old disk).
        for log in broker.logs.values {
            var stale = log
            try? stale.close()
        }
        Self.disk.current = snapshot.copy()
        return FuzzWorld(controller: controller, broker: broker, now: now, wallClockMs: wallClockMs)
    }

    // MARK: - Building the template

    private static func build() -> FuzzState {
        var controller = QuorumController(seed: 7)
        var records = controller.bootstrapRecords()
        for id in Int32(1)...2 {
            records.append(
                .registerBroker(
                    RegisterBrokerRecord(
                        brokerId: id, incarnationId: Uuid(mostSignificantBits: 1, leastSignificantBits: UInt64(id)),
                        brokerEpoch: Int64(id), host: "127.0.0.1", port: UInt16(9091 + id), rack: nil,
                        fenced: false, inControlledShutdown: false)))
        }
        for record in records { controller.replay(record, offset: controller.image.offset + 1) }
        controller.activate(now: .zero)
        var world = FuzzWorld(
            controller: controller,
            broker: Broker(identity: FuzzWorld.identity, logDirectory: directory, fs: disk),
            now: .zero, wallClockMs: startWallClockMs)
        world.broker.adoptProducerIds(1_000..<2_000)
        var driver = FuzzDriver(world: world)
        driver.createTopics()
        driver.appendRecords()
        let producers = driver.appendIdempotent()
        let (members, generation) = driver.formGroup()
        driver.commitOffsets(members: members, generation: generation)
        world = driver.world
        _ = world.broker.drainNotices()
        let payments = world.broker.logs[TopicPartition(topic: "payments", partition: 0)]
        precondition(
            payments.map { $0.highWatermark < $0.logEndOffset } == true,
            "template: payments-0 should hold records above its high watermark: "
                + "\(String(describing: payments?.highWatermark)) / \(String(describing: payments?.logEndOffset))")
        return FuzzState(
            controller: world.controller!, broker: world.broker, snapshot: disk.current.copy(),
            now: world.now + .seconds(1), wallClockMs: world.wallClockMs + 1_000, memberIds: members,
            generation: generation, producerIds: producers, nextSequence: 6)
    }
}

private struct FuzzDriver {
    var world: FuzzWorld
    var correlationId: Int32 = 0

    mutating func send<R: KafkaRequest>(_ request: R, version: Int16 = R.versions.upperBound) -> R.Response {
        correlationId += 1
        var frame = RequestFraming.requestFrame(
            request, version: version, correlationId: correlationId, clientId: "fuzz-template")
        frame.moveReaderIndex(forwardBy: 4)
        switch world.handle(frame) {
        case .respond(let response, _):
            return Self.decode(R.self, response, version: version)
        case .parked:
            // A group write or a join waiting for the rebalance delay: let time pass.
            for _ in 0..<20 {
                if let reply = world.advance(by: .milliseconds(100)).first {
                    return Self.decode(R.self, reply.frame, version: version)
                }
            }
            preconditionFailure("template: \(R.apiKey.name) stayed parked")
        case .noResponse, .close:
            preconditionFailure("template: \(R.apiKey.name) was not answered")
        }
    }

    /// Sends two requests whose answers come together (both joins complete one rebalance).
    mutating func sendBoth(_ first: JoinGroupRequest, _ second: JoinGroupRequest) -> [JoinGroupResponse] {
        var parked = 0
        for request in [first, second] {
            correlationId += 1
            var frame = RequestFraming.requestFrame(
                request, version: 7, correlationId: correlationId, clientId: "fuzz-template")
            frame.moveReaderIndex(forwardBy: 4)
            guard case .parked = world.handle(frame) else { preconditionFailure("template: join not parked") }
            parked += 1
        }
        var replies: [DeferredReply] = []
        for _ in 0..<20 where replies.count < parked {
            replies += world.advance(by: .milliseconds(100))
        }
        precondition(replies.count == parked, "template: the joins were not answered")
        return replies.map { Self.decode(JoinGroupRequest.self, $0.frame, version: 7) }
    }

    static func decode<R: KafkaRequest>(_ type: R.Type, _ frame: ByteBuffer, version: Int16) -> R.Response {
        var rest = frame
        rest.moveReaderIndex(forwardBy: 4)
        var reader = WireReader(rest)
        do {
            _ = try ResponseHeader(from: &reader, headerVersion: R.responseHeaderVersion(version))
            return try R.Response(from: &reader, version: version)
        } catch {
            preconditionFailure("template: \(R.apiKey.name) answer does not decode: \(error)")
        }
    }

    mutating func createTopics() {
        let small = CreateTopicsRequest.Config(name: "segment.bytes", value: "1024")
        let one = CreateTopicsRequest.Assignment.self
        let response = send(
            CreateTopicsRequest(topics: [
                .init(name: "orders", assignments: (0..<3).map { one.init(partitionIndex: $0, brokerIds: [1]) },
                      configs: [small]),
                .init(name: "payments", assignments: (0..<2).map { one.init(partitionIndex: $0, brokerIds: [1, 2]) },
                      configs: [small]),
                .init(name: "audit", assignments: [one.init(partitionIndex: 0, brokerIds: [1])],
                      configs: [small, .init(name: "retention.ms", value: "120000")]),
                .init(name: Broker.offsetsTopicName,
                      assignments: (0..<5).map { one.init(partitionIndex: $0, brokerIds: [1]) },
                      configs: [.init(name: "retention.ms", value: "-1")]),  // as the broker asks for it
            ]))
        for topic in response.topics {
            precondition(topic.errorCode == .none, "template: \(topic.name): \(topic.errorCode)")
        }
    }

    func batch(records: Int, producerId: Int64 = -1, sequence: Int32 = -1) -> ByteBuffer {
        var builder = RecordBatchBuilder(
            producerId: producerId, producerEpoch: producerId < 0 ? -1 : 0, baseSequence: sequence)
        do {
            try builder.append(contentsOf: (0..<records).map { i in
                RecordBatchBuilder.Entry(
                    key: Array("key-\(i)".utf8), value: Array(repeating: 0x61, count: 60),
                    timestamp: world.wallClockMs - 60_000 + Int64(i))
            })
            return try builder.build()
        } catch {
            preconditionFailure("template: batch does not build: \(error)")
        }
    }

    func checkProduced(_ response: ProduceResponse) {
        for topic in response.responses {
            for p in topic.partitionResponses {
                precondition(p.errorCode == .none, "template: produce \(topic.name)-\(p.index): \(p.errorCode)")
            }
        }
    }

    /// Enough batches that `orders-0` and `audit-0` roll several 1 KiB segments.
    mutating func appendRecords() {
        for round in 0..<12 {
            var topics: [ProduceRequest.TopicData] = [
                .init(name: "orders", partitionData: (0..<3).map { .init(index: $0, records: batch(records: 3)) })
            ]
            if round % 2 == 0 {
                topics.append(.init(name: "audit", partitionData: [.init(index: 0, records: batch(records: 2))]))
            }
            checkProduced(send(ProduceRequest(acks: 1, topicData: topics)))
        }
        // acks=1 on a partition whose follower never fetches: appended, not committed.
        checkProduced(send(ProduceRequest(acks: 1, topicData: [
            .init(name: "payments", partitionData: [.init(index: 0, records: batch(records: 4))])
        ])))
    }

    /// Two idempotent producers, two batches each (sequences 0 and 3).
    mutating func appendIdempotent() -> [Int64] {
        var ids: [Int64] = []
        for partition in Int32(1)...2 {
            let answer = send(InitProducerIdRequest())
            precondition(answer.errorCode == .none, "template: InitProducerId: \(answer.errorCode)")
            ids.append(answer.producerId)
            for sequence in [Int32(0), 3] {
                checkProduced(send(ProduceRequest(acks: -1, topicData: [
                    .init(name: "orders", partitionData: [
                        .init(index: partition, records: batch(records: 3, producerId: answer.producerId, sequence: sequence))
                    ])
                ])))
            }
        }
        return ids
    }

    static let subscription = ConsumerProtocolSubscription(topics: ["orders", "payments"]).encoded()

    static func join(_ memberId: String) -> JoinGroupRequest {
        JoinGroupRequest(
            groupId: FuzzState.group, sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 60_000, memberId: memberId,
            protocolType: "consumer", protocols: [.init(name: "range", metadata: subscription)])
    }

    /// Two members join (each after MEMBER_ID_REQUIRED), the leader assigns, both sync.
    mutating func formGroup() -> ([String], Int32) {
        let found = send(FindCoordinatorRequest(key: FuzzState.group, keyType: 0))
        precondition(found.errorCode == .none, "template: FindCoordinator: \(found.errorCode)")
        let ids = (0..<2).map { _ in send(Self.join(""), version: 7).memberId }
        let joined = sendBoth(Self.join(ids[0]), Self.join(ids[1]))
        precondition(joined.allSatisfy { $0.errorCode == .none }, "template: join: \(joined.map(\.errorCode))")
        let leader = joined[0].leader
        let members = [leader] + ids.filter { $0 != leader }
        let generation = joined[0].generationId
        let assignments = members.enumerated().map { index, member in
            SyncGroupRequest.Assignment(
                memberId: member,
                assignment: ConsumerProtocolAssignment(assignedPartitions: [
                    .init(topic: "orders", partitions: index == 0 ? [0, 1] : [2]),
                    .init(topic: "payments", partitions: [Int32(index)]),
                ]).encoded())
        }
        for member in members {
            let synced = send(SyncGroupRequest(
                groupId: FuzzState.group, generationId: generation, memberId: member, protocolType: "consumer",
                protocolName: "range", assignments: member == leader ? assignments : []))
            precondition(synced.errorCode == .none, "template: sync: \(synced.errorCode)")
        }
        return (members, generation)
    }

    mutating func commitOffsets(members: [String], generation: Int32) {
        let commits = [
            OffsetCommitRequest(
                groupId: FuzzState.group, generationIdOrMemberEpoch: generation, memberId: members[0],
                topics: [.init(name: "orders", partitions: [
                    .init(partitionIndex: 0, committedOffset: 9, committedMetadata: "m"),
                    .init(partitionIndex: 1, committedOffset: 3),
                ])]),
            OffsetCommitRequest(
                groupId: FuzzState.simpleGroup,
                topics: [.init(name: "audit", partitions: [.init(partitionIndex: 0, committedOffset: 4)])]),
        ]
        for commit in commits {
            for topic in send(commit).topics {
                precondition(topic.partitions.allSatisfy { $0.errorCode == .none }, "template: commit \(topic.name)")
            }
        }
    }
}
