// Client tests: the idempotent producer's sequence numbers. Goal: consecutive sequences per
// partition, wrap-around at Int32.max, in-order retries, and an epoch bump that restarts
// every partition at 0 after a real gap.

import Testing

@testable import Cluster

@Suite struct ProducerSequencesTests {
    static let tp0 = TopicPartition("orders", 0)
    static let tp1 = TopicPartition("orders", 1)

    static func batch(_ id: UInt64, _ tp: TopicPartition = tp0, records: Int) throws
        -> ProducerBatch
    {
        var builder = RecordBatchBuilder()
        for _ in 0..<records {
            try builder.append(RecordBatchBuilder.Entry(key: nil, value: [1], timestamp: 0))
        }
        return ProducerBatch(id: id, topicPartition: tp, createdAt: .zero, builder: builder)
    }

    static func started() -> ProducerSequences {
        var sequences = ProducerSequences()
        sequences.setProducerIdAndEpoch(id: 4_000, epoch: 0)
        return sequences
    }

    @Test("nothing drains before InitProducerId has answered")
    func needsId() throws {
        let sequences = ProducerSequences()
        #expect(sequences.needsProducerId)
        #expect(!sequences.mayDrain(try Self.batch(0, records: 1)))
        #expect(sequences.initProducerIdFields(canBump: true) == (-1, -1))
    }

    @Test("each partition numbers its records from 0, batch after batch")
    func consecutive() throws {
        var sequences = Self.started()
        var a = try Self.batch(0, records: 3)
        var b = try Self.batch(1, records: 2)
        var c = try Self.batch(2, Self.tp1, records: 4)
        sequences.prepare(&a)
        sequences.prepare(&b)
        sequences.prepare(&c)
        #expect([a.baseSequence, b.baseSequence, c.baseSequence] == [0, 3, 0])
        #expect(a.producerId == 4_000 && a.producerEpoch == 0)
        #expect(sequences.partitions[Self.tp0]?.nextSequence == 5)
        #expect(sequences.partitions[Self.tp0]?.inFlight == 2)
        sequences.acknowledged(a)
        #expect(sequences.partitions[Self.tp0]?.lastAckedSequence == 2)
    }

    @Test("sequences wrap from Int32.max to 0")
    func wraps() {
        #expect(ProducerSequences.increment(Int32.max, by: 1) == 0)
        #expect(ProducerSequences.increment(Int32.max - 1, by: 3) == 1)
        #expect(ProducerSequences.increment(-1, by: 1) == 0)
        #expect(ProducerSequences.increment(10, by: 5) == 15)
    }

    @Test("a retry keeps its sequence and goes only when nothing else is in flight")
    func retryInOrder() throws {
        var sequences = Self.started()
        var a = try Self.batch(0, records: 2)
        var b = try Self.batch(1, records: 2)
        sequences.prepare(&a)
        sequences.prepare(&b)
        #expect(sequences.failed(a, error: .notLeaderOrFollower, retriable: true) == .retry)
        #expect(!sequences.mayDrain(a))
        #expect(sequences.failed(b, error: .notLeaderOrFollower, retriable: true) == .retry)
        #expect(sequences.mayDrain(a))
        sequences.prepare(&a)
        #expect(a.baseSequence == 0)
        #expect(!sequences.mayDrain(b))
        #expect(!sequences.epochBumpRequired)
    }

    @Test("DUPLICATE_SEQUENCE_NUMBER counts as written")
    func duplicate() throws {
        var sequences = Self.started()
        var a = try Self.batch(0, records: 1)
        sequences.prepare(&a)
        #expect(sequences.failed(a, error: .duplicateSequenceNumber, retriable: false) == .succeed)
    }

    @Test("OUT_OF_ORDER on the next expected batch bumps the epoch; on a later one it only retries")
    func outOfOrder() throws {
        var sequences = Self.started()
        var a = try Self.batch(0, records: 2)
        var b = try Self.batch(1, records: 2)
        sequences.prepare(&a)
        sequences.prepare(&b)
        #expect(sequences.failed(b, error: .outOfOrderSequenceNumber, retriable: false) == .retry)
        #expect(!sequences.epochBumpRequired)
        #expect(sequences.failed(a, error: .outOfOrderSequenceNumber, retriable: false) == .retry)
        #expect(sequences.epochBumpRequired)
        #expect(sequences.needsProducerId)
        #expect(sequences.initProducerIdFields(canBump: true) == (4_000, 0))
        #expect(sequences.initProducerIdFields(canBump: false) == (-1, -1))
    }

    @Test("after a bump every partition restarts at 0 and retries are renumbered")
    func bumpRestarts() throws {
        var sequences = Self.started()
        var a = try Self.batch(0, records: 2)
        var other = try Self.batch(1, Self.tp1, records: 5)
        sequences.prepare(&a)
        sequences.prepare(&other)
        sequences.acknowledged(other)
        _ = sequences.failed(a, error: .outOfOrderSequenceNumber, retriable: false)
        sequences.setProducerIdAndEpoch(id: 4_000, epoch: 1)
        #expect(sequences.mayDrain(a))
        sequences.prepare(&a)
        #expect(a.producerEpoch == 1 && a.baseSequence == 0)
        var next = try Self.batch(2, Self.tp1, records: 1)
        sequences.prepare(&next)
        #expect(next.baseSequence == 0 && next.producerEpoch == 1)
    }

    @Test("a sequenced batch given up leaves a gap, so the epoch must be bumped")
    func abandoned() throws {
        var sequences = Self.started()
        var a = try Self.batch(0, records: 1)
        sequences.prepare(&a)
        #expect(sequences.failed(a, error: .messageTooLarge, retriable: false) == .fail)
        sequences.abandoned(a)
        #expect(sequences.epochBumpRequired)
    }

    @Test("an exhausted epoch asks for a new producer id")
    func exhaustedEpoch() {
        var sequences = ProducerSequences()
        sequences.setProducerIdAndEpoch(id: 9, epoch: Int16.max)
        #expect(sequences.initProducerIdFields(canBump: true) == (-1, -1))
    }

    @Test("stamping rewrites producer fields and keeps the CRC valid")
    func stamp() throws {
        var batch = try Self.batch(0, records: 3)
        batch.producerId = 77
        batch.producerEpoch = 2
        batch.baseSequence = 40
        let bytes = try batch.seal()
        let header = try RecordBatchView.validate(bytes, at: bytes.readerIndex).get()
        #expect(header.producerId == 77 && header.producerEpoch == 2 && header.baseSequence == 40)
        batch.producerEpoch = 3
        batch.baseSequence = 0
        let restamped = try batch.seal()
        let again = try RecordBatchView.validate(restamped, at: restamped.readerIndex).get()
        #expect(again.producerEpoch == 3 && again.baseSequence == 0 && again.recordsCount == 3)
    }
}
