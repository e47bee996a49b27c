// Broker tests: idempotent produce against a real broker over loopback, raw Produce requests
// with chosen producer ids, epochs and sequences. Goal: what Kafka's ProducerStateManager
// decides: a retried batch gets its original offsets and writes nothing; a gap in sequences is
// OUT_OF_ORDER_SEQUENCE_NUMBER; an epoch older than one written is INVALID_PRODUCER_EPOCH;
// a producer the log no longer shows may go on at any sequence; and after a restart the state
// rebuilt from the log still recognises the last batch and accepts the next.

import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Cluster

@Suite(.serialized) struct BrokerIdempotenceTests {
    static let topic = "idempotent"
    static let produceVersion: Int16 = 9

    struct Started {
        var cluster: EmbeddedCluster
        var connection: KafkaConnection
    }

    /// Starts a one-broker cluster on `directory` (creating the topic when asked) and
    /// connects to the broker.
    static func start(_ directory: String, createTopic configs: [String: String]? = nil) async throws -> Started {
        let cluster = try EmbeddedCluster(config: EmbeddedClusterConfig(brokerCount: 1, dataDirectory: directory))
        try await cluster.start()
        #expect(await cluster.waitUntilReady())
        let port = try #require(await cluster.status().brokers.first?.port)
        if let configs {
            let admin = Admin(client: try KafkaClient(bootstrapServers: ["127.0.0.1:\(port)"]))
            let created = try await admin.createTopics([NewTopic(name: topic, numPartitions: 1, configs: configs)])
            #expect(created.first?.errorCode == ErrorCode.none)
            await admin.client.close()
            #expect(await cluster.waitForMetadataConvergence())
        }
        let connection = try await KafkaConnection.connect(
            host: "127.0.0.1", port: port, clientId: "idempotence-tests", group: MultiThreadedEventLoopGroup.singleton)
        return Started(cluster: cluster, connection: connection)
    }

    /// InitProducerId for a new idempotent producer; the broker may first answer
    /// COORDINATOR_NOT_AVAILABLE while it asks the controller for a block of ids.
    static func newProducerId(on connection: KafkaConnection) async throws -> (Int64, Int16) {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while true {
            let answer = try await connection.send(InitProducerIdRequest(), version: 4)
            if answer.errorCode == .none { return (answer.producerId, answer.producerEpoch) }
            try #require(answer.errorCode == .coordinatorNotAvailable && clock.now < deadline, "\(answer.errorCode)")
            try await Task.sleep(for: .milliseconds(50))  // a client's retry.backoff.ms
        }
    }

    /// Produces one batch of `count` records (acks=all) and returns the partition's answer.
    static func produce(
        _ connection: KafkaConnection, producerId: Int64, epoch: Int16, sequence: Int32, count: Int = 1,
        valueSize: Int = 8
    ) async throws -> ProduceResponse.PartitionResponse {
        var builder = RecordBatchBuilder(producerId: producerId, producerEpoch: epoch, baseSequence: sequence)
        for i in 0..<count {
            try builder.append(.init(
                key: nil, value: Array(repeating: UInt8(ascii: "a") &+ UInt8(i % 26), count: valueSize),
                timestamp: 1_700_000_000_000))
        }
        let request = ProduceRequest(acks: -1, topicData: [
            .init(name: topic, partitionData: [.init(index: 0, records: try builder.build())])
        ])
        let response = try await connection.send(request, version: produceVersion)
        return try #require(response.responses.first?.partitionResponses.first)
    }

    /// The partition's log end offset, from ListOffsets (latest).
    static func logEnd(_ connection: KafkaConnection) async throws -> Int64 {
        let request = ListOffsetsRequest(topics: [
            .init(name: topic, partitions: [.init(partitionIndex: 0, timestamp: ListOffsetsRequest.latestTimestamp)])
        ])
        let response = try await connection.send(request, version: 7)
        let partition = try #require(response.topics.first?.partitions.first)
        try #require(partition.errorCode == .none)
        return partition.offset
    }

    @Test("a duplicate batch gets its original base offset and writes nothing; a gap is OUT_OF_ORDER_SEQUENCE_NUMBER")
    func duplicatesAndGaps() async throws {
        let directory = temporaryDirectory("idempotence")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let started = try await Self.start(directory, createTopic: [:])
        let c = started.connection
        let (pid, epoch) = try await Self.newProducerId(on: c)

        let first = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 0, count: 3)
        let second = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 3, count: 2)
        #expect(first.errorCode == .none && first.baseOffset == 0)
        #expect(second.errorCode == .none && second.baseOffset == 3)

        // Retries of both (the last five batches are remembered) answer as the first time.
        let retried = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 3, count: 2)
        #expect(retried.errorCode == .none)
        #expect(retried.baseOffset == 3)
        let retriedFirst = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 0, count: 3)
        #expect(retriedFirst.errorCode == .none)
        #expect(retriedFirst.baseOffset == 0)
        #expect(try await Self.logEnd(c) == 5)

        let gap = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 7)
        #expect(gap.errorCode == .outOfOrderSequenceNumber)
        let overlap = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 4, count: 2)
        #expect(overlap.errorCode == .outOfOrderSequenceNumber)
        #expect(try await Self.logEnd(c) == 5)

        let next = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 5)
        #expect(next.errorCode == .none && next.baseOffset == 5)
        await c.close()
        await started.cluster.shutdown()
    }

    @Test("on a partition that never held a record a new producer starts at sequence 0: a later batch that arrives first is OUT_OF_ORDER_SEQUENCE_NUMBER and is written after the first")
    func newProducerOnEmptyPartitionStartsAtZero() async throws {
        let directory = temporaryDirectory("idempotence-empty")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let started = try await Self.start(directory, createTopic: [:])
        let c = started.connection
        let (pid, epoch) = try await Self.newProducerId(on: c)
        // As when the first batch was refused (NOT_LEADER_OR_FOLLOWER) and the second was not.
        let second = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 3, count: 2)
        #expect(second.errorCode == .outOfOrderSequenceNumber)
        #expect(try await Self.logEnd(c) == 0)
        #expect(try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 0, count: 3).baseOffset == 0)
        #expect(try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 3, count: 2).baseOffset == 3)
        await c.close()
        await started.cluster.shutdown()
    }

    @Test("after a newer epoch is written, the old epoch is INVALID_PRODUCER_EPOCH (Produce's code since KIP-588)")
    func olderEpochIsFenced() async throws {
        let directory = temporaryDirectory("idempotence-epoch")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let started = try await Self.start(directory, createTopic: [:])
        let c = started.connection
        let (pid, epoch) = try await Self.newProducerId(on: c)
        #expect(try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 0, count: 2).errorCode == .none)

        // A Java idempotent producer bumps its own epoch (KIP-360) and starts again at 0.
        let bumped = try await Self.produce(c, producerId: pid, epoch: epoch + 1, sequence: 0)
        #expect(bumped.errorCode == .none && bumped.baseOffset == 2)
        let zombie = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 2)
        #expect(zombie.errorCode == .invalidProducerEpoch)
        // A new epoch must start at sequence 0.
        let skipped = try await Self.produce(c, producerId: pid, epoch: epoch + 2, sequence: 5)
        #expect(skipped.errorCode == .outOfOrderSequenceNumber)
        #expect(try await Self.logEnd(c) == 3)

        // A second InitProducerId gives a producer the broker has no state for.
        let (other, otherEpoch) = try await Self.newProducerId(on: c)
        #expect(other != pid)
        #expect(try await Self.produce(c, producerId: other, epoch: otherEpoch, sequence: 0).baseOffset == 3)
        await c.close()
        await started.cluster.shutdown()
    }

    @Test("after a restart the producer state rebuilt from the log answers a duplicate with its offsets and accepts the next sequence")
    func stateSurvivesRestart() async throws {
        let directory = temporaryDirectory("idempotence-restart")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var started = try await Self.start(directory, createTopic: [:])
        let (pid, epoch) = try await Self.newProducerId(on: started.connection)
        for (sequence, offset) in [(0, 0), (2, 2), (4, 4)] as [(Int32, Int64)] {
            let sent = try await Self.produce(started.connection, producerId: pid, epoch: epoch, sequence: sequence, count: 2)
            #expect(sent.errorCode == .none && sent.baseOffset == offset)
        }
        await started.connection.close()
        await started.cluster.shutdown()

        started = try await Self.start(directory)
        let c = started.connection
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        var duplicate = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 4, count: 2)
        // Until the restarted broker leads the partition again it answers NOT_LEADER_OR_FOLLOWER.
        while duplicate.errorCode == .notLeaderOrFollower && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            duplicate = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 4, count: 2)
        }
        #expect(duplicate.errorCode == .none)
        #expect(duplicate.baseOffset == 4)
        #expect(try await Self.logEnd(c) == 6)
        let gap = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 9)
        #expect(gap.errorCode == .outOfOrderSequenceNumber)
        let next = try await Self.produce(c, producerId: pid, epoch: epoch, sequence: 6)
        #expect(next.errorCode == .none && next.baseOffset == 6)
        await c.close()
        await started.cluster.shutdown()
    }

    @Test("a producer whose batches the rebuilt state no longer holds goes on at its next sequence, as Kafka accepts any sequence from a producer it has no state for")
    func unknownProducerAcceptsAnySequence() async throws {
        let directory = temporaryDirectory("idempotence-unknown")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Small segments: the other producer's batches fill several after the first one's.
        var started = try await Self.start(directory, createTopic: ["segment.bytes": "1024"])
        let (early, earlyEpoch) = try await Self.newProducerId(on: started.connection)
        #expect(try await Self.produce(started.connection, producerId: early, epoch: earlyEpoch, sequence: 0).baseOffset == 0)
        let (busy, busyEpoch) = try await Self.newProducerId(on: started.connection)
        for sequence in 0..<12 as Range<Int32> {
            let sent = try await Self.produce(started.connection, producerId: busy, epoch: busyEpoch, sequence: sequence, valueSize: 300)
            #expect(sent.errorCode == .none)
        }
        await started.connection.close()
        await started.cluster.shutdown()

        started = try await Self.start(directory)
        let c = started.connection
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        var next = try await Self.produce(c, producerId: early, epoch: earlyEpoch, sequence: 1)
        while next.errorCode == .notLeaderOrFollower && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            next = try await Self.produce(c, producerId: early, epoch: earlyEpoch, sequence: 1)
        }
        #expect(next.errorCode == .none)
        #expect(next.baseOffset == 13)
        await c.close()
        await started.cluster.shutdown()
    }
}
