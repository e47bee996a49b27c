// Metadata tests: reading `cluster-metadata.log` files written before the records followed
// Kafka's type ids. Goal: an old file, RemoveTopicRecord as type 5 included, reads into the new
// record types; new entries appended to it read back; a torn tail is reported, not fatal.
// Method: a byte fixture in the old format, built field by field.

import NIOCore
import Testing

@testable import Cluster

@Suite struct LegacyMetadataLogTests {
    typealias B = Bytes

    static let topicIdBytes = CodecChecks.sampleTopicIdBytes
    static let topicId = CodecChecks.sampleTopicId

    /// One old entry: int32 size, CRC-32C of the body, body.
    static func entry(_ body: [UInt8]) -> [UInt8] {
        let crc = body.withUnsafeBytes { CRC32C.checksum($0) }
        return B.i32(Int32(body.count)) + withUnsafeBytes(of: crc.bigEndian) { Array($0) } + body
    }

    /// What the old encoder wrote for broker 1's registration (type 0 v1), topic "orders",
    /// its partition (type 3 v0), a config, the topic's removal as type 5 v0, and a producer
    /// id block (type 15 v0).
    static let oldFileEntries: [[UInt8]] = [
        entry(
            [0x01, 0x00, 0x01] + B.i32(1) + [UInt8](repeating: 0, count: 15) + [0x01] + B.i64(0)
                + B.ccount(1) + B.cstr("PLAINTEXT") + B.cstr("localhost") + [0x23, 0x85] + B.i16(0)
                + B.noTags
                + B.ccount(0) + B.nullCompact + [0x00, 0x00] + B.noTags),
        entry([0x01, 0x02, 0x00] + B.cstr("orders") + topicIdBytes + B.noTags),
        entry(
            [0x01, 0x03, 0x00] + B.i32(0) + topicIdBytes + B.ccount(1) + B.i32(1) + B.ccount(1)
                + B.i32(1)
                + B.ccount(0) + B.ccount(0) + B.i32(1) + B.i32(0) + B.i32(0) + B.noTags),
        entry(
            [0x01, 0x04, 0x00] + [0x02] + B.cstr("orders") + B.cstr("retention.ms") + B.cstr("1000")
                + B.noTags),
        entry([0x01, 0x05, 0x00] + topicIdBytes + B.noTags),  // the old RemoveTopicRecord
        entry([0x01, 0x0F, 0x00] + B.i32(1) + B.i64(0) + B.i64(1000) + B.noTags),
    ]
    static let oldFile: [UInt8] = oldFileEntries.reduce([], +)

    @Test("an old file reads into the new types, its type-5 entry as RemoveTopicRecord")
    func oldFile() {
        let contents = LegacyMetadataLog.decode(ByteBuffer(bytes: Self.oldFile))
        #expect(contents.validBytes == Self.oldFile.count)
        #expect(
            contents.records.map(\.typeName) == [
                "RegisterBrokerRecord", "TopicRecord", "PartitionRecord", "ConfigRecord",
                "RemoveTopicRecord",
                "ProducerIdsRecord",
            ])
        #expect(contents.records[4] == .removeTopic(RemoveTopicRecord(topicId: Self.topicId)))
        guard case .registerBroker(let broker) = contents.records[0] else { return }
        #expect(broker.host == "localhost" && broker.port == 9093 && !broker.fenced)
        var image = MetadataImage()
        for record in contents.records { image.replay(record) }
        #expect(image.topicNames.isEmpty && image.brokers.count == 1 && image.offset == 5)
        #expect(image.nextProducerId == 1000)
    }

    @Test("new entries appended to an old file read back, PartitionChangeRecord (5 v2) as itself")
    func mixedFile() {
        let new: [MetadataRecord] = [
            .topic(TopicRecord(name: "payments", topicId: Self.topicId)),
            .partitionChange(
                PartitionChangeRecord(partitionId: 0, topicId: Self.topicId, leader: 1)),
            .removeTopic(RemoveTopicRecord(topicId: Self.topicId)),
        ]
        var bytes = ByteBuffer(bytes: Self.oldFile)
        var appended = LegacyMetadataLog.encode(new)
        bytes.writeBuffer(&appended)
        let contents = LegacyMetadataLog.decode(bytes)
        #expect(contents.records.count == 9 && Array(contents.records.suffix(3)) == new)
        #expect(contents.validBytes == bytes.readableBytes)
    }

    @Test("a torn or corrupt tail ends the intact prefix", arguments: [1, 5, 9, 20])
    func tornTail(cut: Int) {
        let bytes = Array(Self.oldFile.dropLast(cut))
        let contents = LegacyMetadataLog.decode(ByteBuffer(bytes: bytes))
        #expect(contents.records.count == 5)
        let lastEntry = 8 + 3 + 4 + 8 + 8 + 1
        #expect(contents.validBytes == Self.oldFile.count - lastEntry)
        var corrupt = Self.oldFile
        corrupt[corrupt.count - 2] ^= 0xFF
        #expect(LegacyMetadataLog.decode(ByteBuffer(bytes: corrupt)).records.count == 5)
    }

    @Test("random bytes never trap")
    func randomBytes() {
        var state: UInt64 = 0xF11E
        for _ in 0..<500 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let count = Int(state >> 58)
            let bytes = (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 33)
            }
            let contents = LegacyMetadataLog.decode(ByteBuffer(bytes: bytes))
            #expect(contents.validBytes <= bytes.count)
        }
    }
}
