// Metadata tests: metadata log batches as RecordBatch v2 bytes. Goal: a batch written here has
// Kafka's header layout (base offset, quorum epoch, control bit, no producer), valid CRC-32C,
// null-keyed record values or one LeaderChange control record, and reads back; bad bytes are a
// MetadataBatchError. Method: golden bytes built field by field, round trips, corruptions.

import NIOCore
import Testing

@testable import Cluster

@Suite struct MetadataBatchTests {
    typealias B = Bytes
    static let timestamp: Int64 = 1_700_000_000_000
    static let topicId = CodecChecks.sampleTopicId

    static let leaderChange = LeaderChangeMessage(
        leaderId: 1, voters: [1, 2, 3], grantingVoters: [1, 2])
    static let records: [MetadataRecord] = [
        .featureLevel(FeatureLevelRecord(name: "metadata.version", featureLevel: 25)),
        .topic(TopicRecord(name: "orders", topicId: topicId)),
        .partition(
            PartitionRecord(
                partitionId: 0, topicId: topicId, replicas: [1], isr: [1], leader: 1,
                leaderEpoch: 0, partitionEpoch: 0, directories: [DirectoryId.migrating])),
    ]
    static let batches: [MetadataBatch] = [
        MetadataBatch(baseOffset: 0, leaderEpoch: 1, content: .leaderChange(leaderChange)),
        MetadataBatch(baseOffset: 1, leaderEpoch: 1, content: .records(records)),
        MetadataBatch(
            baseOffset: 4, leaderEpoch: 2,
            content: .records([.removeTopic(RemoveTopicRecord(topicId: topicId))])),
    ]

    /// A zig-zag varint of a small value (one byte below 64).
    static func zz(_ v: Int) -> [UInt8] { [UInt8((v << 1) ^ (v >> 63))] }

    static func crc(_ batch: [UInt8]) -> [UInt8] {
        let c = Array(batch[21...]).withUnsafeBytes { CRC32C.checksum($0) }
        return withUnsafeBytes(of: c.bigEndian) { Array($0) }
    }

    @Test("a leader-change batch is a control batch laid out field by field as Kafka writes it")
    func leaderChangeGolden() throws {
        let value =
            B.i16(0) + B.i32(1)  // Version, LeaderId
            + B.ccount(3) + B.i32(1) + B.noTags + B.i32(2) + B.noTags + B.i32(3) + B.noTags  // Voters
            + B.ccount(2) + B.i32(1) + B.noTags + B.i32(2) + B.noTags  // GrantingVoters
            + B.noTags
        let key = B.i16(0) + B.i16(2)  // control record key: version 0, type LEADER_CHANGE
        let body =
            [0x00] + Self.zz(0) + Self.zz(0)  // attributes, timestampDelta, offsetDelta
            + Self.zz(key.count) + key + Self.zz(value.count) + value + Self.zz(0)  // no headers
        let record = Self.zz(body.count) + body
        let afterCRC =
            B.i16(0x20)  // attributes: control (bit 5), CreateTime, no compression
            + B.i32(0)  // lastOffsetDelta
            + B.i64(Self.timestamp) + B.i64(Self.timestamp)  // base and max timestamp
            + B.i64(-1) + B.i16(-1) + B.i32(-1)  // producer id, producer epoch, base sequence
            + B.i32(1)  // records count
            + record
        var expected =
            B.i64(10)  // baseOffset
            + B.i32(Int32(4 + 1 + 4 + afterCRC.count))  // batchLength: from the epoch to the end
            + B.i32(3)  // partitionLeaderEpoch: the quorum epoch
            + [0x02]  // magic
            + [0, 0, 0, 0] + afterCRC
        expected.replaceSubrange(17..<21, with: Self.crc(expected))
        let batch = MetadataBatch(
            baseOffset: 10, leaderEpoch: 3, content: .leaderChange(Self.leaderChange))
        let bytes = try batch.encode(timestamp: Self.timestamp)
        #expect(Array(bytes.readableBytesView) == expected)
        #expect(try MetadataBatch.decode(bytes) == [batch])
        #expect(batch.count == 1 && batch.lastOffset == 10)
    }

    @Test("a data batch: header fields where Kafka puts them, null keys, framed records as values")
    func dataBatchHeader() throws {
        let batch = Self.batches[1]
        let bytes = try batch.encode(timestamp: Self.timestamp)
        let header = try RecordBatchView.validate(
            bytes, at: 0, batchBytesMax: Limits.metadataBatchBytesMax
        ).get()
        #expect(bytes.getInteger(at: 0, as: Int64.self) == 1)  // baseOffset at 0
        #expect(bytes.getInteger(at: 12, as: Int32.self) == 1)  // partitionLeaderEpoch at 12
        #expect(bytes.getInteger(at: 16, as: Int8.self) == 2)  // magic at 16
        #expect(bytes.getInteger(at: 21, as: Int16.self) == 0)  // attributes at 21: not control
        #expect(
            header.lastOffsetDelta == 2 && header.recordsCount == 3
                && header.lastOffset == batch.lastOffset)
        #expect(header.producerId == -1 && header.producerEpoch == -1 && header.baseSequence == -1)
        #expect(header.baseTimestamp == Self.timestamp && header.maxTimestamp == Self.timestamp)
        let decoded = try RecordBatchDecoder.decode(
            bytes, at: 0, batchBytesMax: Limits.metadataBatchBytesMax)
        #expect(decoded.records.map(\.key) == [nil, nil, nil])
        #expect(
            decoded.records.map(\.value)
                == Self.records.map { Array($0.serialized.readableBytesView) })
        #expect(decoded.records.map(\.offset) == [1, 2, 3])
    }

    @Test("batches back to back round-trip, and pass RecordBatchView.validate one by one")
    func roundTrip() throws {
        let bytes = try MetadataBatch.encode(Self.batches, timestamp: Self.timestamp)
        #expect(try MetadataBatch.decode(bytes) == Self.batches)
        guard
            case .success(let all) = RecordBatchView.batches(
                in: bytes, batchBytesMax: Limits.metadataBatchBytesMax)
        else {
            Issue.record("the batches do not validate")
            return
        }
        #expect(all.map(\.header.baseOffset) == [0, 1, 4])
        #expect(all.map(\.header.isControl) == [true, false, false])
        #expect(Self.batches.map(\.lastOffset) == [0, 3, 4])
    }

    @Test("an empty record list cannot be written")
    func empty() {
        #expect(throws: MetadataBatchError.empty) {
            _ = try MetadataBatch(baseOffset: 0, leaderEpoch: 0, content: .records([])).encode(
                timestamp: 0)
        }
    }

    @Test("every truncation is a MetadataBatchError (a partial batch or a bad one)")
    func truncations() throws {
        let bytes = Array(
            try MetadataBatch.encode(Self.batches, timestamp: Self.timestamp).readableBytesView)
        let first = Int(
            try MetadataBatch.encode(Array(Self.batches.prefix(1)), timestamp: Self.timestamp)
                .readableBytes)
        let second = Int(
            try MetadataBatch.encode(Array(Self.batches.prefix(2)), timestamp: Self.timestamp)
                .readableBytes)
        for length in 1..<bytes.count where length != first && length != second {
            #expect(throws: MetadataBatchError.self, "cut at \(length)") {
                _ = try MetadataBatch.decode(ByteBuffer(bytes: Array(bytes[0..<length])))
            }
        }
        // At a batch boundary the bytes read as the batches before it.
        #expect(
            try MetadataBatch.decode(ByteBuffer(bytes: Array(bytes[0..<first]))) == [
                Self.batches[0]
            ])
        #expect(try MetadataBatch.decode(ByteBuffer()) == [])
    }

    @Test("a flipped CRC, a bad record value and an unknown control type are refused")
    func refused() throws {
        var crc = Array(try Self.batches[1].encode(timestamp: 0).readableBytesView)
        crc[20] ^= 0x01
        #expect(throws: MetadataBatchError.self) {
            _ = try MetadataBatch.decode(ByteBuffer(bytes: crc))
        }

        // A data batch whose value is not a metadata record: valid batch, bad record.
        var builder = RecordBatchBuilder()
        try builder.append(.init(key: nil, value: [0x01, 0x63, 0x00], timestamp: 0))
        #expect(
            throws: MetadataBatchError.record(
                offset: 0, .invalid(field: "record_type", reason: "unknown metadata record type 99")
            )
        ) {
            _ = try MetadataBatch.decode(try builder.build())
        }
        var nullValue = RecordBatchBuilder()
        try nullValue.append(.init(key: nil, value: nil, timestamp: 0))
        #expect(throws: MetadataBatchError.nullValue(offset: 0)) {
            _ = try MetadataBatch.decode(try nullValue.build())
        }

        // A control batch holding a snapshot header (type 3) rather than a leader change.
        var control = RecordBatchBuilder(isControl: true)
        try control.append(.init(key: Bytes.i16(0) + Bytes.i16(3), value: [0], timestamp: 0))
        #expect(throws: MetadataBatchError.unsupportedControlType(offset: 0, type: 3)) {
            _ = try MetadataBatch.decode(try control.build())
        }
        var shortKey = RecordBatchBuilder(isControl: true)
        try shortKey.append(.init(key: [0x00], value: [0], timestamp: 0))
        #expect(throws: MetadataBatchError.self) {
            _ = try MetadataBatch.decode(try shortKey.build())
        }
        var twoRecords = RecordBatchBuilder(isControl: true)
        try twoRecords.append(contentsOf: [
            .init(key: Bytes.i16(0) + Bytes.i16(2), value: [0], timestamp: 0),
            .init(key: Bytes.i16(0) + Bytes.i16(2), value: [0], timestamp: 0),
        ])
        #expect(throws: MetadataBatchError.controlRecordCount(baseOffset: 0, count: 2)) {
            _ = try MetadataBatch.decode(try twoRecords.build())
        }
    }

    @Test("random bytes and flipped bytes never trap")
    func randomBytes() throws {
        var state: UInt64 = 0xBA7C4
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<300 {
            let bytes = (0..<Int(next() % 128)).map { _ in UInt8(truncatingIfNeeded: next()) }
            _ = try? MetadataBatch.decode(ByteBuffer(bytes: bytes))
        }
        // Flipped bytes past the CRC, with the CRC recomputed, reach the record decoders.
        let valid = Array(
            try MetadataBatch.encode(Array(Self.batches.prefix(2)), timestamp: 0).readableBytesView)
        let first = Int(try Self.batches[0].encode(timestamp: 0).readableBytes)
        for index in 21..<valid.count {
            var flipped = valid
            flipped[index] ^= UInt8(truncatingIfNeeded: next() | 1)
            let start = index < first ? 0 : first
            let end = index < first ? first : valid.count
            var batch = Array(flipped[start..<end])
            batch.replaceSubrange(17..<21, with: Self.crc(batch))
            flipped.replaceSubrange(start..<end, with: batch)
            _ = try? MetadataBatch.decode(ByteBuffer(bytes: flipped))
        }
    }
}
