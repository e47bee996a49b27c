// Metadata tests: the metadata records byte for byte. Goal: each record carries Kafka's type id,
// the version Kafka 4.0 writes and that version's field layout, tagged fields included, so the
// log reads in Kafka and Kafka's reads here. Method: fixtures written by hand, field by field,
// from the JSON schemas; round trips at every version; every truncation and random bytes.

import NIOCore
import Testing

@testable import Cluster

@Suite struct MetadataRecordTests {
    typealias B = Bytes

    // MARK: - Fixture pieces

    /// Frame version 1, record type, record version: three one-byte unsigned varints here.
    static func frame(_ type: UInt8, _ version: UInt8) -> [UInt8] { [0x01, type, version] }
    /// A topic id whose 16 bytes are 0x01...0x10; Kafka prints it `AQIDBAUGBwgJCgsMDQ4PEA`.
    static let topicId = CodecChecks.sampleTopicId
    static let topicIdBytes = CodecChecks.sampleTopicIdBytes
    static let incarnation = Uuid(
        mostSignificantBits: 0x1111_1111_1111_1111, leastSignificantBits: 0x2222_2222_2222_2222)
    static let incarnationBytes =
        [UInt8](repeating: 0x11, count: 8) + [UInt8](repeating: 0x22, count: 8)
    static let directory = Uuid(mostSignificantBits: 0, leastSignificantBits: 0x0303)
    static let directoryBytes = [UInt8](repeating: 0, count: 14) + [0x03, 0x03]
    static let migratingBytes = [UInt8](repeating: 0, count: 16)
    /// One tagged field: tag and size as one-byte varints, then the value.
    static func tag(_ tag: UInt8, _ value: [UInt8]) -> [UInt8] {
        [tag, UInt8(value.count)] + value
    }

    static func bytes(_ record: MetadataRecord) -> [UInt8] {
        Array(record.serialized.readableBytesView)
    }

    static func decode(_ bytes: [UInt8]) throws(DecodeError) -> MetadataRecord {
        try MetadataRecord.decode(ByteBuffer(bytes: bytes))
    }

    static let registerBroker = RegisterBrokerRecord(
        brokerId: 1, incarnationId: incarnation, brokerEpoch: 7, host: "localhost", port: 9092,
        rack: nil,
        fenced: true, inControlledShutdown: false,
        features: [
            BrokerFeature(name: "metadata.version", minSupportedVersion: 7, maxSupportedVersion: 25)
        ])

    /// Every record type once, with fields off their defaults where that changes the bytes.
    static let samples: [MetadataRecord] = [
        .registerBroker(registerBroker),
        .registerBroker(
            RegisterBrokerRecord(
                brokerId: 2, incarnationId: incarnation, brokerEpoch: 9,
                endPoints: [
                    BrokerEndpoint(name: "PLAINTEXT", host: "h1", port: 1, securityProtocol: 0),
                    BrokerEndpoint(name: "SSL", host: "h2", port: 2, securityProtocol: 1),
                ],
                rack: "rack-a", fenced: false, inControlledShutdown: true, logDirs: [directory])),
        .unregisterBroker(UnregisterBrokerRecord(brokerId: 1, brokerEpoch: 7)),
        .topic(TopicRecord(name: "orders", topicId: topicId)),
        .partition(
            PartitionRecord(
                partitionId: 0, topicId: topicId, replicas: [1, 2], isr: [1, 2], leader: 1,
                leaderEpoch: 0,
                partitionEpoch: 0, directories: [DirectoryId.migrating, DirectoryId.migrating])),
        .partition(
            PartitionRecord(
                partitionId: 3, topicId: topicId, replicas: [2, 3], isr: [2], removingReplicas: [3],
                addingReplicas: [4],
                leader: 2, leaderRecoveryState: .recovering, leaderEpoch: 5, partitionEpoch: 9,
                directories: [directory, DirectoryId.unassigned], eligibleLeaderReplicas: [3],
                lastKnownElr: [])),
        .config(
            ConfigRecord(
                resourceType: 2, resourceName: "orders", name: "retention.ms", value: "1000")),
        .config(
            ConfigRecord(resourceType: 2, resourceName: "orders", name: "retention.ms", value: nil)),
        .partitionChange(PartitionChangeRecord(partitionId: 0, topicId: topicId)),
        .partitionChange(
            PartitionChangeRecord(partitionId: 0, topicId: topicId, isr: [1], leader: 1)),
        .partitionChange(
            PartitionChangeRecord(
                partitionId: 7, topicId: topicId, isr: [], leader: -1, replicas: [1, 2, 3],
                removingReplicas: [3],
                addingReplicas: [], leaderRecoveryState: .recovered,
                directories: [directory, directory, directory],
                eligibleLeaderReplicas: [2], lastKnownElr: [3])),
        .removeTopic(RemoveTopicRecord(topicId: topicId)),
        .featureLevel(FeatureLevelRecord(name: "metadata.version", featureLevel: 25)),
        .producerIds(ProducerIdsRecord(brokerId: 1, brokerEpoch: 7, nextProducerId: 1000)),
        .brokerRegistrationChange(
            BrokerRegistrationChangeRecord(brokerId: 1, brokerEpoch: 7, fenced: .fence)),
        .brokerRegistrationChange(
            BrokerRegistrationChangeRecord(brokerId: 1, brokerEpoch: 7, fenced: .unfence)),
        .brokerRegistrationChange(
            BrokerRegistrationChangeRecord(
                brokerId: 1, brokerEpoch: 7, inControlledShutdown: .inControlledShutdown)),
        .brokerRegistrationChange(
            BrokerRegistrationChangeRecord(brokerId: 1, brokerEpoch: 7, logDirs: [directory])),
    ]

    // MARK: - Golden bytes

    @Test(
        "RegisterBrokerRecord is type 0 v3: listener, features, rack, fenced, shutdown, no LogDirs tag"
    )
    func registerBrokerGolden() throws {
        let expected =
            Self.frame(0, 3)
            + B.i32(1)  // BrokerId
            + [0x00]  // IsMigratingZkBroker (v2+): false
            + Self.incarnationBytes  // IncarnationId
            + B.i64(7)  // BrokerEpoch
            + B.ccount(1)  // EndPoints: one
            + B.cstr("PLAINTEXT") + B.cstr("localhost") + [0x23, 0x84]  // Name, Host, Port 9092 (uint16)
            + B.i16(0) + B.noTags  // SecurityProtocol PLAINTEXT, the endpoint's tagged fields
            + B.ccount(1)  // Features: one
            + B.cstr("metadata.version") + B.i16(7) + B.i16(25) + B.noTags
            + B.nullCompact  // Rack: null
            + [0x01]  // Fenced
            + [0x00]  // InControlledShutdown (v1+)
            + B.noTags  // LogDirs (tag 0) is empty, its default, so not written
        let record = MetadataRecord.registerBroker(Self.registerBroker)
        #expect(Self.bytes(record) == expected)
        #expect(try Self.decode(expected) == record)
        #expect(
            record.apiKey == 0 && record.version == 3 && record.typeName == "RegisterBrokerRecord")
    }

    @Test("RegisterBrokerRecord writes LogDirs as tag 0 when it has directories")
    func registerBrokerLogDirs() throws {
        var r = Self.registerBroker
        r.logDirs = [Self.directory]
        let expected =
            Self.frame(0, 3) + B.i32(1) + [0x00] + Self.incarnationBytes + B.i64(7)
            + B.ccount(1) + B.cstr("PLAINTEXT") + B.cstr("localhost") + [0x23, 0x84] + B.i16(0)
            + B.noTags
            + B.ccount(1) + B.cstr("metadata.version") + B.i16(7) + B.i16(25) + B.noTags
            + B.nullCompact + [0x01] + [0x00]
            + [0x01] + Self.tag(0, B.ccount(1) + Self.directoryBytes)  // one tag: LogDirs, 17 bytes
        #expect(Self.bytes(.registerBroker(r)) == expected)
        #expect(try Self.decode(expected) == .registerBroker(r))
    }

    @Test("RegisterBrokerRecord v0, v1 and v2, as older Kafka wrote them, still decode")
    func registerBrokerOlderVersions() throws {
        let tail =
            B.ccount(1) + B.cstr("PLAINTEXT") + B.cstr("h") + [0x00, 0x01] + B.i16(0) + B.noTags
            + B.ccount(0) + B.cstr("r") + [0x00]
        let v0 = Self.frame(0, 0) + B.i32(4) + Self.incarnationBytes + B.i64(2) + tail + B.noTags
        let v1 =
            Self.frame(0, 1) + B.i32(4) + Self.incarnationBytes + B.i64(2) + tail + [0x01]
            + B.noTags
        let v2 =
            Self.frame(0, 2) + B.i32(4) + [0x00] + Self.incarnationBytes + B.i64(2) + tail + [0x01]
            + B.noTags
        let base = RegisterBrokerRecord(
            brokerId: 4, incarnationId: Self.incarnation, brokerEpoch: 2, host: "h", port: 1,
            rack: "r",
            fenced: false, inControlledShutdown: false)
        var shuttingDown = base
        shuttingDown.inControlledShutdown = true
        #expect(try Self.decode(v0) == .registerBroker(base))
        #expect(try Self.decode(v1) == .registerBroker(shuttingDown))
        #expect(try Self.decode(v2) == .registerBroker(shuttingDown))
    }

    @Test("UnregisterBrokerRecord is type 1 v0: broker id and epoch")
    func unregisterBrokerGolden() throws {
        let expected = Self.frame(1, 0) + B.i32(1) + B.i64(7) + B.noTags
        let record = MetadataRecord.unregisterBroker(
            UnregisterBrokerRecord(brokerId: 1, brokerEpoch: 7))
        #expect(Self.bytes(record) == expected)
        #expect(try Self.decode(expected) == record)
    }

    @Test("TopicRecord is type 2 v0: compact name and topic id")
    func topicGolden() throws {
        let expected = Self.frame(2, 0) + B.cstr("orders") + Self.topicIdBytes + B.noTags
        let record = MetadataRecord.topic(TopicRecord(name: "orders", topicId: Self.topicId))
        #expect(Self.bytes(record) == expected)
        #expect(try Self.decode(expected) == record)
    }

    @Test("PartitionRecord is type 3 v2: arrays, leader, epochs, one directory per replica")
    func partitionGolden() throws {
        let expected =
            Self.frame(3, 2)
            + B.i32(0) + Self.topicIdBytes  // PartitionId, TopicId
            + B.ccount(2) + B.i32(1) + B.i32(2)  // Replicas
            + B.ccount(2) + B.i32(1) + B.i32(2)  // Isr
            + B.ccount(0) + B.ccount(0)  // RemovingReplicas, AddingReplicas (not nullable)
            + B.i32(1)  // Leader
            + B.i32(0) + B.i32(0)  // LeaderEpoch, PartitionEpoch (LeaderRecoveryState is tagged)
            + B.ccount(2) + Self.migratingBytes + Self.migratingBytes  // Directories (v1+)
            + B.noTags  // recovery state 0, ELR and LastKnownElr null: all defaults
        #expect(Self.bytes(Self.samples[4]) == expected)
        #expect(try Self.decode(expected) == Self.samples[4])
    }

    @Test("PartitionRecord tags: LeaderRecoveryState 0, EligibleLeaderReplicas 1, LastKnownElr 2")
    func partitionTags() throws {
        let expected =
            Self.frame(3, 2) + B.i32(3) + Self.topicIdBytes
            + B.ccount(2) + B.i32(2) + B.i32(3) + B.ccount(1) + B.i32(2)
            + B.ccount(1) + B.i32(3) + B.ccount(1) + B.i32(4)
            + B.i32(2) + B.i32(5) + B.i32(9)
            + B.ccount(2) + Self.directoryBytes + [UInt8](repeating: 0, count: 15) + [0x01]  // directory, unassigned
            + [0x03]  // three tagged fields, in tag order
            + Self.tag(0, [0x01])  // LeaderRecoveryState RECOVERING
            + Self.tag(1, B.ccount(1) + B.i32(3))  // EligibleLeaderReplicas [3]
            + Self.tag(2, B.ccount(0))  // LastKnownElr [] (not null, so written)
        #expect(Self.bytes(Self.samples[5]) == expected)
        #expect(try Self.decode(expected) == Self.samples[5])
    }

    @Test("PartitionRecord v0 (no Directories) decodes with an empty directory list")
    func partitionV0() throws {
        let v0 =
            Self.frame(3, 0) + B.i32(0) + Self.topicIdBytes + B.ccount(1) + B.i32(1) + B.ccount(1)
            + B.i32(1)
            + B.ccount(0) + B.ccount(0) + B.i32(1) + B.i32(4) + B.i32(6) + B.noTags
        let expected = PartitionRecord(
            partitionId: 0, topicId: Self.topicId, replicas: [1], isr: [1], leader: 1,
            leaderEpoch: 4, partitionEpoch: 6)
        #expect(try Self.decode(v0) == .partition(expected))
    }

    @Test("ConfigRecord is type 4 v0: resource type, names and a nullable value")
    func configGolden() throws {
        let set =
            Self.frame(4, 0) + [0x02] + B.cstr("orders") + B.cstr("retention.ms") + B.cstr("1000")
            + B.noTags
        let delete =
            Self.frame(4, 0) + [0x02] + B.cstr("orders") + B.cstr("retention.ms") + B.nullCompact
            + B.noTags
        #expect(Self.bytes(Self.samples[6]) == set)
        #expect(Self.bytes(Self.samples[7]) == delete)
        #expect(try Self.decode(delete) == Self.samples[7])
    }

    @Test("PartitionChangeRecord is type 5 v2; with nothing changed it is partition and topic only")
    func partitionChangeEmpty() throws {
        let expected = Self.frame(5, 2) + B.i32(0) + Self.topicIdBytes + B.noTags
        #expect(Self.bytes(Self.samples[8]) == expected)
        #expect(try Self.decode(expected) == Self.samples[8])
    }

    @Test("a new leader and ISR are tags 1 and 0, written in tag order")
    func partitionChangeLeader() throws {
        let expected =
            Self.frame(5, 2) + B.i32(0) + Self.topicIdBytes
            + [0x02]  // two tagged fields
            + Self.tag(0, B.ccount(1) + B.i32(1))  // Isr [1]
            + Self.tag(1, B.i32(1))  // Leader 1
        #expect(Self.bytes(Self.samples[9]) == expected)
        #expect(try Self.decode(expected) == Self.samples[9])
    }

    @Test("every PartitionChangeRecord tag, 0 to 8, with Directories (tag 8) last")
    func partitionChangeAllTags() throws {
        let expected =
            Self.frame(5, 2) + B.i32(7) + Self.topicIdBytes
            + [0x09]
            + Self.tag(0, B.ccount(0))  // Isr [] (empty, not null)
            + Self.tag(1, B.i32(-1))  // Leader -1: no leader
            + Self.tag(2, B.ccount(3) + B.i32(1) + B.i32(2) + B.i32(3))  // Replicas
            + Self.tag(3, B.ccount(1) + B.i32(3))  // RemovingReplicas
            + Self.tag(4, B.ccount(0))  // AddingReplicas
            + Self.tag(5, [0x00])  // LeaderRecoveryState RECOVERED (the default is -1)
            + Self.tag(6, B.ccount(1) + B.i32(2))  // EligibleLeaderReplicas (v2+)
            + Self.tag(7, B.ccount(1) + B.i32(3))  // LastKnownElr (v2+)
            + Self.tag(
                8, B.ccount(3) + Self.directoryBytes + Self.directoryBytes + Self.directoryBytes)
        #expect(Self.bytes(Self.samples[10]) == expected)
        #expect(try Self.decode(expected) == Self.samples[10])
    }

    @Test("a v0 PartitionChangeRecord skips tags v0 does not define (ELR is v2+)")
    func partitionChangeV0SkipsLaterTags() throws {
        let v0 =
            Self.frame(5, 0) + B.i32(0) + Self.topicIdBytes + [0x02]
            + Self.tag(1, B.i32(2)) + Self.tag(6, B.ccount(1) + B.i32(2))
        #expect(
            try Self.decode(v0)
                == .partitionChange(
                    PartitionChangeRecord(partitionId: 0, topicId: Self.topicId, leader: 2)))
    }

    @Test("RemoveTopicRecord is type 9 v0 (not 5, which is PartitionChangeRecord)")
    func removeTopicGolden() throws {
        let expected = Self.frame(9, 0) + Self.topicIdBytes + B.noTags
        let record = MetadataRecord.removeTopic(RemoveTopicRecord(topicId: Self.topicId))
        #expect(Self.bytes(record) == expected)
        #expect(try Self.decode(expected) == record)
    }

    @Test("FeatureLevelRecord is type 12 v0: name and level")
    func featureLevelGolden() throws {
        let expected = Self.frame(12, 0) + B.cstr("metadata.version") + B.i16(25) + B.noTags
        #expect(Self.bytes(Self.samples[12]) == expected)
        #expect(try Self.decode(expected) == Self.samples[12])
    }

    @Test("ProducerIdsRecord is type 15 v0: broker id, broker epoch, next producer id")
    func producerIdsGolden() throws {
        let expected = Self.frame(15, 0) + B.i32(1) + B.i64(7) + B.i64(1000) + B.noTags
        #expect(Self.bytes(Self.samples[13]) == expected)
        #expect(try Self.decode(expected) == Self.samples[13])
    }

    @Test(
        "BrokerRegistrationChangeRecord is type 17: fence 1 and unfence -1 at v0, shutdown at v1, dirs at v2"
    )
    func brokerRegistrationChangeGolden() throws {
        let head = B.i32(1) + B.i64(7)
        let fence = Self.frame(17, 0) + head + [0x01] + Self.tag(0, [0x01])
        let unfence = Self.frame(17, 0) + head + [0x01] + Self.tag(0, [0xFF])
        let shutdown = Self.frame(17, 1) + head + [0x01] + Self.tag(1, [0x01])
        let dirs =
            Self.frame(17, 2) + head + [0x01] + Self.tag(2, B.ccount(1) + Self.directoryBytes)
        #expect(Self.bytes(Self.samples[14]) == fence)
        #expect(Self.bytes(Self.samples[15]) == unfence)
        #expect(Self.bytes(Self.samples[16]) == shutdown)
        #expect(Self.bytes(Self.samples[17]) == dirs)
        #expect(try Self.decode(unfence) == Self.samples[15])
        #expect(try Self.decode(shutdown) == Self.samples[16])
    }

    // MARK: - What Kafka may write

    @Test("unknown tagged fields are skipped, in the record and inside its structs")
    func unknownTagsSkipped() throws {
        let topic =
            Self.frame(2, 0) + B.cstr("orders") + Self.topicIdBytes + [0x01]
            + Self.tag(9, [0xAA, 0xBB])
        #expect(
            try Self.decode(topic) == .topic(TopicRecord(name: "orders", topicId: Self.topicId)))
        let change =
            Self.frame(5, 2) + B.i32(0) + Self.topicIdBytes + [0x02]
            + Self.tag(1, B.i32(3)) + Self.tag(30, [0x01, 0x02, 0x03])
        #expect(
            try Self.decode(change)
                == .partitionChange(
                    PartitionChangeRecord(partitionId: 0, topicId: Self.topicId, leader: 3)))
        let broker =
            Self.frame(0, 3) + B.i32(4) + [0x00] + Self.incarnationBytes + B.i64(2)
            + B.ccount(1) + B.cstr("PLAINTEXT") + B.cstr("h") + [0x00, 0x01] + B.i16(0) + [0x01]
            + Self.tag(5, [0x07])
            + B.ccount(0) + B.nullCompact + [0x01, 0x00] + [0x01] + Self.tag(3, [0x00])
        #expect(
            try Self.decode(broker)
                == .registerBroker(
                    RegisterBrokerRecord(
                        brokerId: 4, incarnationId: Self.incarnation, brokerEpoch: 2, host: "h",
                        port: 1, rack: nil,
                        fenced: true, inControlledShutdown: false)))
    }

    @Test("a null array in a tagged field reads as unchanged")
    func taggedNull() throws {
        let change =
            Self.frame(5, 2) + B.i32(0) + Self.topicIdBytes + [0x01] + Self.tag(0, B.nullCompact)
        #expect(
            try Self.decode(change)
                == .partitionChange(PartitionChangeRecord(partitionId: 0, topicId: Self.topicId)))
    }

    @Test(
        "unknown types, versions, frame versions and enum values are DecodeErrors",
        arguments: [
            frame(99, 0) + B.noTags,  // no such record type
            [0x01, 0xFF, 0xFF, 0x03, 0x00, 0x00],  // a type beyond Int16
            frame(2, 1) + B.cstr("orders") + CodecChecks.sampleTopicIdBytes + B.noTags,  // TopicRecord v1
            frame(0, 4) + B.i32(1),  // RegisterBrokerRecord v4 (Kafka 4.3+), not read here
            [0x02, 0x02, 0x00] + B.cstr("orders") + CodecChecks.sampleTopicIdBytes + B.noTags,  // frame version 2
            frame(17, 0) + B.i32(1) + B.i64(7) + [0x01, 0x00, 0x01, 0x02],  // Fenced 2
            frame(17, 1) + B.i32(1) + B.i64(7) + [0x01, 0x01, 0x01, 0xFF],  // InControlledShutdown -1
            frame(5, 2) + B.i32(0) + CodecChecks.sampleTopicIdBytes + [0x01, 0x05, 0x01, 0x07],  // recovery state 7
            frame(5, 2) + B.i32(0) + CodecChecks.sampleTopicIdBytes + [0x01, 0x01, 0x05] + B.i32(1)
                + [0x00],  // tag too long
            frame(2, 0) + B.cstr("orders") + CodecChecks.sampleTopicIdBytes + B.noTags + [0x00],  // a byte after the record
        ])
    func refused(bytes: [UInt8]) {
        #expect(throws: DecodeError.self) { _ = try Self.decode(bytes) }
    }

    // MARK: - Round trips, truncations, random bytes

    @Test("every sample round-trips, and re-encoding its decoding gives the same bytes")
    func roundTrips() throws {
        for record in Self.samples {
            let bytes = Self.bytes(record)
            let decoded = try Self.decode(bytes)
            #expect(decoded == record, "\(record.typeName)")
            #expect(Self.bytes(decoded) == bytes, "\(record.typeName)")
        }
    }

    @Test("every sample encodes and decodes repeatably at each version its schema has")
    func everyVersion() throws {
        for record in Self.samples {
            let body = record.body
            for version in type(of: body).versions {
                var w = WireWriter()
                body.encode(to: &w, version: version)
                var r = WireReader(w.buffer)
                let decoded = try MetadataRecord.decodeBody(
                    type: record.apiKey, version: version, from: &r)
                #expect(r.isAtEnd, "\(record.typeName) v\(version)")
                var again = WireWriter()
                decoded.body.encode(to: &again, version: version)
                #expect(again.buffer == w.buffer, "\(record.typeName) v\(version)")
            }
        }
    }

    @Test("every truncation of every sample is a DecodeError")
    func truncations() {
        for record in Self.samples {
            let bytes = Self.bytes(record)
            for length in 0..<bytes.count {
                #expect(throws: DecodeError.self, "\(record.typeName) cut at \(length)") {
                    _ = try Self.decode(Array(bytes[0..<length]))
                }
            }
        }
    }

    @Test("random bytes, bare or behind each record's frame, never trap")
    func randomBytes() {
        var state: UInt64 = 0x5EED_0003
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let frames: [[UInt8]] = [[]] + Self.samples.map { Array(Self.bytes($0).prefix(3)) }
        for head in frames {
            for _ in 0..<300 {
                let body = (0..<Int(next() % 64)).map { _ in UInt8(truncatingIfNeeded: next()) }
                _ = try? Self.decode(head + body)
            }
        }
        // Flip one byte of each valid sample: still an answer, never a trap.
        for record in Self.samples {
            let bytes = Self.bytes(record)
            for index in bytes.indices {
                var flipped = bytes
                flipped[index] ^= UInt8(truncatingIfNeeded: next() | 1)
                _ = try? Self.decode(flipped)
            }
        }
    }

    // MARK: - Names for the dump

    @Test("typeName and dumpType are Kafka's class and MetadataRecordType names")
    func names() {
        let names = Self.samples.map { "\($0.apiKey) \($0.typeName) \($0.dumpType)" }
        #expect(
            Set(names) == [
                "0 RegisterBrokerRecord REGISTER_BROKER_RECORD",
                "1 UnregisterBrokerRecord UNREGISTER_BROKER_RECORD",
                "2 TopicRecord TOPIC_RECORD", "3 PartitionRecord PARTITION_RECORD",
                "4 ConfigRecord CONFIG_RECORD",
                "5 PartitionChangeRecord PARTITION_CHANGE_RECORD",
                "9 RemoveTopicRecord REMOVE_TOPIC_RECORD",
                "12 FeatureLevelRecord FEATURE_LEVEL_RECORD",
                "15 ProducerIdsRecord PRODUCER_IDS_RECORD",
                "17 BrokerRegistrationChangeRecord BROKER_REGISTRATION_CHANGE_RECORD",
            ])
    }

    @Test("dumpJSON reads as kafka-dump-log's --cluster-metadata-decoder payload")
    func dumpJSON() {
        #expect(
            MetadataRecord.topic(TopicRecord(name: "orders", topicId: Self.topicId)).dumpJSON
                == #"{"type":"TOPIC_RECORD","version":0,"data":{"name":"orders","topicId":"AQIDBAUGBwgJCgsMDQ4PEA"}}"#
        )
        #expect(
            Self.samples[9].dumpJSON
                == #"{"type":"PARTITION_CHANGE_RECORD","version":2,"data":{"partitionId":0,"topicId":"AQIDBAUGBwgJCgsMDQ4PEA","isr":[1],"leader":1}}"#
        )
        #expect(
            Self.samples[0].dumpJSON
                == #"{"type":"REGISTER_BROKER_RECORD","version":3,"data":{"brokerId":1,"#
                + #""isMigratingZkBroker":false,"incarnationId":"EREREREREREiIiIiIiIiIg","brokerEpoch":7,"#
                + #""endPoints":[{"name":"PLAINTEXT","host":"localhost","port":9092,"securityProtocol":0}],"#
                + #""features":[{"name":"metadata.version","minSupportedVersion":7,"maxSupportedVersion":25}],"#
                + #""rack":null,"fenced":true,"inControlledShutdown":false}}"#)
        #expect(Self.samples[14].fields.map(\.0) == ["brokerId", "brokerEpoch", "fenced"])
        #expect(Self.samples[14].fields.last?.1 == "1")
        #expect(
            Self.samples[5].fields.map(\.0) == [
                "partitionId", "topicId", "replicas", "isr", "removingReplicas", "addingReplicas",
                "leader",
                "leaderRecoveryState", "leaderEpoch", "partitionEpoch", "directories",
                "eligibleLeaderReplicas",
                "lastKnownElr",
            ])
        #expect(
            MetadataRecord.config(
                ConfigRecord(resourceType: 2, resourceName: "a\"b", name: "n", value: nil)
            ).fields
                .map(\.1) == ["2", #""a\"b""#, #""n""#, "null"])
    }
}
