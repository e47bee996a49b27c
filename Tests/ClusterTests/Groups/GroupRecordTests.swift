// Groups tests: __consumer_offsets records and the group → partition hash. Goal: keys and
// values match Kafka's on-disk layout byte for byte (fixtures from the JSON schemas), every
// version we read decodes, and the partition of a group is Kafka's.

import NIOCore
import Testing

@testable import Cluster

@Suite struct GroupRecordTests {
    typealias B = Bytes

    @Test("an offset commit record is key v1 and value v3, as Kafka writes them")
    func offsetCommitFixture() throws {
        let record = GroupRecord.offsetCommit(
            OffsetCommitKey(group: "g", topic: "t", partition: 2),
            OffsetCommitValue(
                offset: 42, leaderEpoch: 5, metadata: "m", commitTimestamp: 1_700_000_000_000))
        let key = B.i16(1) + B.str("g") + B.str("t") + B.i32(2)
        let value = B.i16(3) + B.i64(42) + B.i32(5) + B.str("m") + B.i64(1_700_000_000_000)
        #expect(Array(record.keyBytes.readableBytesView) == key)
        #expect(record.valueBytes.map { Array($0.readableBytesView) } == value)
        #expect(try GroupRecord.decode(key: buffer(key), value: buffer(value)) == record)
    }

    @Test("a commit with a retention time is written as value v1 with its expire timestamp")
    func offsetCommitWithExpiry() throws {
        let value = OffsetCommitValue(
            offset: 1, metadata: "", commitTimestamp: 10, expireTimestamp: 20)
        let record = GroupRecord.offsetCommit(
            OffsetCommitKey(group: "g", topic: "t", partition: 0), value)
        let bytes = try #require(record.valueBytes)
        #expect(
            Array(bytes.readableBytesView) == B.i16(1) + B.i64(1) + B.str("") + B.i64(10)
                + B.i64(20))
        #expect(try GroupRecord.decode(key: record.keyBytes, value: bytes) == record)
    }

    @Test("older and flexible offset commit values decode", arguments: [Int16(0), 2, 4])
    func offsetCommitOtherVersions(version: Int16) throws {
        let key = B.i16(0) + B.str("g") + B.str("t") + B.i32(1)
        var value = B.i16(version) + B.i64(9)
        if version >= 3 { value += B.i32(7) }
        value += version >= 4 ? B.cstr("md") : B.str("md")
        value += B.i64(100)
        if version >= 4 { value += B.noTags }
        let decoded = try GroupRecord.decode(key: buffer(key), value: buffer(value))
        let expected = OffsetCommitValue(
            offset: 9, leaderEpoch: version >= 3 ? 7 : -1, metadata: "md", commitTimestamp: 100)
        #expect(
            decoded
                == .offsetCommit(OffsetCommitKey(group: "g", topic: "t", partition: 1), expected))
    }

    @Test("a group metadata record is key v2 and value v3, as Kafka writes them")
    func groupMetadataFixture() throws {
        let value = GroupMetadataValue(
            protocolType: "consumer", generation: 4, protocolName: "range", leader: "m",
            currentStateTimestamp: 99,
            members: [
                .init(
                    memberId: "m", groupInstanceId: "i", clientId: "c", clientHost: "/127.0.0.1",
                    rebalanceTimeout: 30_000,
                    sessionTimeout: 10_000, subscription: buffer([1]), assignment: buffer([2, 3]))
            ])
        let record = GroupRecord.groupMetadata(GroupMetadataKey(group: "g"), value)
        let keyBytes = B.i16(2) + B.str("g")
        let valueBytes =
            B.i16(3) + B.str("consumer") + B.i32(4) + B.str("range") + B.str("m") + B.i64(99)
            + B.count(1) + B.str("m")
            + B.str("i") + B.str("c") + B.str("/127.0.0.1") + B.i32(30_000) + B.i32(10_000)
            + B.bytes([1]) + B.bytes([2, 3])
        #expect(Array(record.keyBytes.readableBytesView) == keyBytes)
        #expect(record.valueBytes.map { Array($0.readableBytesView) } == valueBytes)
        #expect(try GroupRecord.decode(key: buffer(keyBytes), value: buffer(valueBytes)) == record)
    }

    @Test("an empty group's snapshot has null protocol and leader")
    func emptyGroupSnapshot() throws {
        let value = GroupMetadataValue(
            protocolType: "", generation: 0, protocolName: nil, leader: nil, members: [])
        let record = GroupRecord.groupMetadata(GroupMetadataKey(group: "g"), value)
        let bytes = try #require(record.valueBytes)
        #expect(
            Array(bytes.readableBytesView)
                == B.i16(3) + B.str("") + B.i32(0) + B.nullString + B.nullString + B.i64(-1)
                + B.count(0))
        #expect(try GroupRecord.decode(key: record.keyBytes, value: bytes) == record)
    }

    @Test("group metadata values v0 (no rebalance timeout) and v4 (flexible) decode")
    func groupMetadataOtherVersions() throws {
        let v0 =
            B.i16(0) + B.str("consumer") + B.i32(1) + B.str("range") + B.str("m") + B.count(1)
            + B.str("m") + B.str("c")
            + B.str("h") + B.i32(10_000) + B.bytes([]) + B.bytes([])
        let decoded0 = try GroupRecord.decode(key: buffer(B.i16(2) + B.str("g")), value: buffer(v0))
        guard case .groupMetadata(_, let value0?) = decoded0 else {
            Issue.record("not a group record")
            return
        }
        #expect(value0.members.first?.rebalanceTimeout == -1 && value0.currentStateTimestamp == -1)

        let v4 =
            B.i16(4) + B.cstr("consumer") + B.i32(1) + B.cstr("range") + B.nullCompact + B.i64(5)
            + B.ccount(0) + B.noTags
        let decoded4 = try GroupRecord.decode(key: buffer(B.i16(2) + B.str("g")), value: buffer(v4))
        guard case .groupMetadata(_, let value4?) = decoded4 else {
            Issue.record("not a group record")
            return
        }
        #expect(
            value4.protocolName == "range" && value4.leader == nil
                && value4.currentStateTimestamp == 5)
    }

    @Test("tombstones have no value and decode back")
    func tombstones() throws {
        let offset = GroupRecord.offsetCommit(
            OffsetCommitKey(group: "g", topic: "t", partition: 0), nil)
        let group = GroupRecord.groupMetadata(GroupMetadataKey(group: "g"), nil)
        #expect(offset.valueBytes == nil && offset.isTombstone)
        #expect(try GroupRecord.decode(key: offset.keyBytes, value: nil) == offset)
        #expect(try GroupRecord.decode(key: group.keyBytes, value: nil) == group)
    }

    @Test("records of kinds we do not keep are skipped, and garbage is an error")
    func unknownAndGarbage() throws {
        #expect(try GroupRecord.decode(key: buffer(B.i16(3) + B.str("g")), value: nil) == nil)
        #expect(throws: DecodeError.self) {
            try GroupRecord.decode(key: buffer([0x00]), value: nil)
        }
        #expect(throws: DecodeError.self) {
            try GroupRecord.decode(
                key: buffer(B.i16(1) + B.str("g") + B.str("t") + B.i32(0)), value: buffer(B.i16(9)))
        }
    }

    @Test("Java's String.hashCode, including the value whose Math.abs stays negative")
    func javaHashCode() {
        #expect(GroupConfig.javaStringHashCode("") == 0)
        #expect(GroupConfig.javaStringHashCode("hello") == 99_162_322)
        #expect(GroupConfig.javaStringHashCode("polygenelubricants") == Int32.min)
    }

    @Test("a group's offsets partition is Utils.abs(hashCode) % offsets.topic.num.partitions")
    func offsetsPartition() {
        let config = GroupConfig(offsetsTopicNumPartitions: 50)
        #expect(config.offsetsPartition(for: "hello") == 99_162_322 % 50)
        // Utils.abs masks the sign bit: Int32.min maps to 0, not to a negative partition.
        #expect(config.offsetsPartition(for: "polygenelubricants") == 0)
        for id in ["a", "my-group", "consumer-group-with-a-long-name", "ü-group"] {
            #expect((0..<50).contains(config.offsetsPartition(for: id)))
        }
    }
}
