// Broker tests: OffsetForLeaderEpoch (key 23) as Kafka's broker answers it. Goal: the leader
// places each epoch with its leader-epoch cache (an older epoch ends where the next starts, the
// current one at the log end offset, even above the high watermark), and the checks come in
// Kafka's order (hosted, current_leader_epoch, leadership). Method: one broker on a
// MemoryFileSystem whose image bumps the partition's leader epoch between appends.

import NIOCore
import Testing

@testable import Cluster

@Suite struct BrokerOffsetForLeaderEpochTests {
    static let topicId = CodecChecks.sampleTopicId
    static let tp = TopicPartition(topic: "orders", partition: 0)

    /// Broker 1 and the image it follows: "orders" has one partition, replicas and leader as
    /// given, at leader epoch 0.
    struct Fixture {
        var image = MetadataImage()
        var broker = Broker(
            identity: BrokerIdentity(
                nodeID: NodeID(1), clusterID: "c", host: "127.0.0.1", port: 9092))

        init(replicas: [Int32] = [1], leader: Int32 = 1) {
            for id: Int32 in [1, 2] {
                image.replay(
                    .registerBroker(
                        RegisterBrokerRecord(
                            brokerId: id, incarnationId: .zero, brokerEpoch: 0,
                            host: "127.0.0.1", port: 9091 + UInt16(id), rack: nil, fenced: false,
                            inControlledShutdown: false)))
            }
            image.replay(.topic(TopicRecord(name: "orders", topicId: topicId)))
            image.replay(
                .partition(
                    PartitionRecord(
                        partitionId: 0, topicId: topicId, replicas: replicas, isr: replicas,
                        leader: leader, leaderEpoch: 0, partitionEpoch: 0)))
            broker.apply(image: image, now: .zero, wallClockMs: 0)
        }

        var leaderEpoch: Int32 { image.partition("orders", 0)?.leaderEpoch ?? -1 }

        /// The controller re-elects broker 1: the leader epoch goes up by one, and the broker,
        /// as Kafka's makeLeader, records the new epoch at its log end offset.
        mutating func bumpLeaderEpoch() {
            image.replay(
                .partitionChange(PartitionChangeRecord(partitionId: 0, topicId: topicId, leader: 1))
            )
            broker.apply(image: image, now: .zero, wallClockMs: 0)
        }

        /// Appends `records` records as the leader does, stamped with the current leader epoch.
        /// The high watermark stays where it was: no follower or commit is simulated.
        mutating func append(records: Int) throws {
            var log = try #require(broker.logs[tp])
            _ = try log.append(
                TestBatches.batch(records: records), leaderEpoch: leaderEpoch, wallClockMs: 0)
            broker.logs[tp] = log
        }

        func ask(
            topic: String = "orders", partition: Int32 = 0, currentLeaderEpoch: Int32 = -1,
            leaderEpoch: Int32, replicaId: Int32 = OffsetForLeaderEpochRequest.consumerReplicaId
        ) -> OffsetForLeaderEpochResponse.EpochEndOffset? {
            let request = OffsetForLeaderEpochRequest(
                replicaId: replicaId,
                topics: [
                    .init(
                        topic: topic,
                        partitions: [
                            .init(
                                partition: partition, currentLeaderEpoch: currentLeaderEpoch,
                                leaderEpoch: leaderEpoch)
                        ])
                ])
            let header = RequestHeader(
                apiKey: .offsetForLeaderEpoch, apiVersion: 4, correlationId: 1, clientId: "t")
            let (response, _) = broker.handleOffsetForLeaderEpoch(request, header: header)
            return response.topics.first?.partitions.first
        }
    }

    /// Epochs 0 (offsets 0-2), 2 (3-4) and 4 (5). Epoch 1 took over at offset 3 and wrote
    /// nothing, so epoch 2's entry at the same offset replaced it; epoch 3 went the same way
    /// at offset 5.
    /// Leader-epoch cache: 0@0, 2@3, 4@5; log end offset 6; the last record is not committed.
    static func threeEpochs() throws -> Fixture {
        var f = Fixture()
        try f.append(records: 3)
        f.bumpLeaderEpoch()
        f.bumpLeaderEpoch()
        try f.append(records: 2)
        f.bumpLeaderEpoch()
        f.bumpLeaderEpoch()
        try f.append(records: 1)
        let log = try #require(f.broker.logs[tp])
        #expect(
            log.leaderEpochCache.entries.map { [Int64($0.epoch), $0.startOffset] } == [
                [0, 0], [2, 3], [4, 5],
            ])
        #expect(f.leaderEpoch == 4 && log.logEndOffset == 6 && log.highWatermark < 6)
        return f
    }

    @Test("an older epoch ends where the next epoch starts")
    func olderEpoch() throws {
        let f = try Self.threeEpochs()
        #expect(f.ask(leaderEpoch: 0) == .init(partition: 0, leaderEpoch: 0, endOffset: 3))
        #expect(f.ask(leaderEpoch: 2) == .init(partition: 0, leaderEpoch: 2, endOffset: 5))
    }

    @Test("an epoch that wrote nothing is answered with the largest epoch below it")
    func epochBetween() throws {
        let f = try Self.threeEpochs()
        #expect(f.ask(leaderEpoch: 1) == .init(partition: 0, leaderEpoch: 0, endOffset: 3))
        #expect(f.ask(leaderEpoch: 3) == .init(partition: 0, leaderEpoch: 2, endOffset: 5))
    }

    @Test(
        "the current epoch ends at the log end offset, above the high watermark, for consumers too")
    func currentEpoch() throws {
        let f = try Self.threeEpochs()
        for replicaId: Int32 in [-1, -2, 2] {
            #expect(
                f.ask(currentLeaderEpoch: 4, leaderEpoch: 4, replicaId: replicaId)
                    == .init(partition: 0, leaderEpoch: 4, endOffset: 6))
        }
    }

    @Test("an epoch newer than the cache's latest is NONE with the undefined pair")
    func newerEpoch() throws {
        let f = try Self.threeEpochs()
        #expect(
            f.ask(leaderEpoch: 9)
                == .init(errorCode: .none, partition: 0, leaderEpoch: -1, endOffset: -1))
        #expect(
            f.ask(leaderEpoch: -1)
                == .init(errorCode: .none, partition: 0, leaderEpoch: -1, endOffset: -1))
    }

    @Test("an epoch older than every cached one gets itself back with the first entry's start")
    func olderThanAll() throws {
        var f = Fixture()
        // Epochs 0-2 took over at offset 0 and wrote nothing: only 3@0 is left.
        for _ in 0..<3 { f.bumpLeaderEpoch() }
        try f.append(records: 2)
        #expect(
            f.broker.logs[Self.tp]?.leaderEpochCache.entries == [
                EpochEntry(epoch: 3, startOffset: 0)
            ])
        // Kafka's endOffsetFor: the data of that epoch is gone, so the asker restarts from
        // where the first known epoch starts.
        #expect(f.ask(leaderEpoch: 1) == .init(partition: 0, leaderEpoch: 1, endOffset: 0))
        #expect(f.ask(leaderEpoch: 3) == .init(partition: 0, leaderEpoch: 3, endOffset: 2))
    }

    @Test("a current_leader_epoch below the partition's is FENCED, above it UNKNOWN_LEADER_EPOCH")
    func currentLeaderEpochChecks() throws {
        let f = try Self.threeEpochs()
        #expect(
            f.ask(currentLeaderEpoch: 3, leaderEpoch: 2)
                == .init(errorCode: .fencedLeaderEpoch, partition: 0))
        #expect(
            f.ask(currentLeaderEpoch: 5, leaderEpoch: 2)
                == .init(errorCode: .unknownLeaderEpoch, partition: 0))
        // Only -1 means "not sent"; Kafka compares any other value.
        #expect(
            f.ask(currentLeaderEpoch: -2, leaderEpoch: 2)
                == .init(errorCode: .fencedLeaderEpoch, partition: 0))
        #expect(
            f.ask(currentLeaderEpoch: 4, leaderEpoch: 2)
                == .init(partition: 0, leaderEpoch: 2, endOffset: 5))
    }

    @Test("a follower answers NOT_LEADER_OR_FOLLOWER to everyone, after the epoch check, as Kafka")
    func follower() {
        let f = Fixture(replicas: [1, 2], leader: 2)
        #expect(f.broker.logs[Self.tp] != nil)
        for replicaId: Int32 in [-1, -2, 2] {
            #expect(
                f.ask(currentLeaderEpoch: 0, leaderEpoch: 0, replicaId: replicaId)
                    == .init(errorCode: .notLeaderOrFollower, partition: 0))
            #expect(
                f.ask(leaderEpoch: 0, replicaId: replicaId)
                    == .init(errorCode: .notLeaderOrFollower, partition: 0))
        }
        // Kafka's getLocalLog checks the epoch first: an asker whose epoch differs learns that.
        #expect(
            f.ask(currentLeaderEpoch: 1, leaderEpoch: 0)
                == .init(errorCode: .unknownLeaderEpoch, partition: 0))
    }

    @Test("a partition the cluster has but this broker does not host is NOT_LEADER_OR_FOLLOWER")
    func notHosted() {
        let f = Fixture(replicas: [2], leader: 2)
        #expect(f.broker.logs[Self.tp] == nil)
        #expect(f.ask(leaderEpoch: 0) == .init(errorCode: .notLeaderOrFollower, partition: 0))
    }

    @Test("an unknown topic or partition is UNKNOWN_TOPIC_OR_PARTITION")
    func unknown() {
        let f = Fixture()
        #expect(
            f.ask(topic: "nope", leaderEpoch: 0)
                == .init(errorCode: .unknownTopicOrPartition, partition: 0))
        #expect(
            f.ask(partition: 7, leaderEpoch: 0)
                == .init(errorCode: .unknownTopicOrPartition, partition: 7))
    }

    @Test(
        "through Broker.handle at every version: advertised, answered in order, first error traced",
        arguments: OffsetForLeaderEpochRequest.versions)
    func framed(version: Int16) throws {
        var f = try Self.threeEpochs()
        #expect(
            Broker.advertisedApiVersions.contains {
                $0.apiKey == .offsetForLeaderEpoch && $0.minVersion == 0 && $0.maxVersion == 4
            })
        let request = OffsetForLeaderEpochRequest(
            replicaId: OffsetForLeaderEpochRequest.consumerReplicaId,
            topics: [
                .init(
                    topic: "orders",
                    partitions: [
                        .init(
                            partition: 0, currentLeaderEpoch: version >= 2 ? 4 : -1,
                            leaderEpoch: 2),
                        .init(partition: 3, leaderEpoch: 0),
                    ]),
                .init(topic: "nope", partitions: [.init(partition: 0, leaderEpoch: 0)]),
            ])
        var frame = RequestFraming.requestFrame(
            request, version: version, correlationId: 8, clientId: "t")
        frame.moveReaderIndex(forwardBy: 4)
        guard case .respond(var response, let trace) = f.broker.handle(frame: frame, now: .zero)
        else {
            Issue.record("expected a response")
            return
        }
        response.moveReaderIndex(forwardBy: 4)
        var reader = WireReader(response)
        let headerVersion = OffsetForLeaderEpochRequest.responseHeaderVersion(version)
        #expect(try ResponseHeader(from: &reader, headerVersion: headerVersion).correlationId == 8)
        let body = try OffsetForLeaderEpochResponse(from: &reader, version: version)
        #expect(reader.isAtEnd)
        #expect(
            body.topics == [
                .init(
                    topic: "orders",
                    partitions: [
                        .init(partition: 0, leaderEpoch: version >= 1 ? 2 : -1, endOffset: 5),
                        .init(errorCode: .unknownTopicOrPartition, partition: 3),
                    ]),
                .init(
                    topic: "nope",
                    partitions: [.init(errorCode: .unknownTopicOrPartition, partition: 0)]),
            ])
        #expect(
            trace.apiKey == .offsetForLeaderEpoch && trace.errorCode == .unknownTopicOrPartition)
    }
}
