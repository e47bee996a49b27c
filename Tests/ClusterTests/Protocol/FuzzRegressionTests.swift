// Protocol tests: inputs from the libFuzzer harness (scripts/fuzz.sh) and hand-made nasty ones,
// through the paths it drives: RequestFraming, the API codecs, the batch readers and a Broker.
// Goal: each gives a typed error or a clean result, never a trap, and stays that way.

import NIOCore
import Testing

@testable import Cluster

/// Regression inputs for the fuzz harness's code paths.
///
/// The first test is a crash libFuzzer found (artifact
/// `crash-0e1a6b16b84cbc46fd0abd61b53c40803306635c`): a client id at the STRING length limit
/// holding eight bytes of invalid UTF-8. Decoding replaced each with U+FFFD (three bytes), so
/// the decoded text no longer fit an int16 length and writing it back trapped. Now
/// `WireReader` refuses such a string with `tooLarge`. The rest are forged lengths and counts,
/// nesting and varints built by hand.
@Suite struct FuzzRegressionTests {
    let broker = Broker(
        identity: BrokerIdentity(nodeID: NodeID(1), clusterID: "c", host: "127.0.0.1", port: 9092))

    /// Sends `frame` (no size prefix) to a fresh broker; true when it closes the connection.
    func brokerCloses(_ frame: [UInt8]) -> Bool {
        var broker = broker
        guard case .close = broker.handle(frame: ByteBuffer(bytes: frame), now: .zero) else {
            return false
        }
        return true
    }

    static let a = UInt8(ascii: "a")

    // MARK: - Found by libFuzzer

    /// The artifact byte for byte: CreateTopics v5 with a 32767-byte client id (eight 0xFF in
    /// it) and a topic name of 32767 "a"s.
    static let invalidUTF8ClientId: [UInt8] =
        [0x00, 0x13, 0x00, 0x05, 0x00, 0x00, 0x00, 0x07, 0x7F, 0xFF]  // key 19, v5, id 7, len
        + [UInt8](repeating: a, count: 12_106) + [UInt8](repeating: 0xFF, count: 8)
        + [UInt8](repeating: a, count: 20_653)  // client_id: 32767 bytes
        + [0x00, 0x02, 0x80, 0x80, 0x02]  // no header tags; 1 topic; name length 32767
        + [UInt8](repeating: a, count: 32_767)
        + [0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x00]  // 1 partition, RF 1, [], [], tags
        + [0x00, 0x00, 0xEA, 0x60, 0x00, 0x00]  // timeout 60000, validate_only false, tags

    @Test("libFuzzer crash: a client id that outgrows its int16 length as U+FFFD is refused")
    func invalidUTF8ClientIdIsRefused() {
        #expect(Self.invalidUTF8ClientId.count == 65_564)
        var reader = WireReader(ByteBuffer(bytes: Self.invalidUTF8ClientId))
        #expect(throws: DecodeError.tooLarge(field: "client_id", size: 32_783, limit: 32_767)) {
            try RequestHeader(from: &reader, headerVersion: 2)
        }
        #expect(brokerCloses(Self.invalidUTF8ClientId))
    }

    @Test("a topic name that outgrows a STRING once invalid UTF-8 is replaced gives tooLarge")
    func invalidUTF8TopicName() {
        var body = WireWriter()
        body.writeInt32(1)  // one topic
        body.writeInt16(11_000)
        body.buffer.writeBytes([UInt8](repeating: 0xFF, count: 11_000))
        // 1 partition, RF 1, no assignments, no configs, timeout 0, validate_only false.
        let bytes =
            Array(body.buffer.readableBytesView) + [0, 0, 0, 1, 0, 1]
            + [UInt8](repeating: 0, count: 13)
        #expect(throws: DecodeError.tooLarge(field: "name", size: 33_000, limit: 32_767)) {
            try CodecChecks.decode(CreateTopicsRequest.self, bytes, version: 4)
        }
    }

    @Test("a name of exactly 32767 bytes, and short invalid UTF-8, still decode and round trip")
    func stringLimitBoundary() throws {
        let longest = String(repeating: "a", count: Limits.stringBytesMax)
        for version in CreateTopicsRequest.versions {
            try CodecChecks.expectRoundTrip(
                CreateTopicsRequest(topics: [.init(name: longest), .init(name: "\u{FFFD}x")]),
                version: version)
        }
        var w = WireWriter()
        w.writeInt16(3)
        w.buffer.writeBytes([0x61, 0xFF, 0x62])
        var reader = WireReader(w.buffer)
        #expect(try reader.readString("name", compact: false) == "a\u{FFFD}b")
    }

    // MARK: - Forged lengths and counts

    @Test("an int32 array count of two billion is refused before anything is allocated")
    func forgedArrayCount() {
        let bytes: [UInt8] = [0x7F, 0xFF, 0xFF, 0xFF, 0x00, 0x00]
        #expect(
            throws: DecodeError.tooLarge(
                field: "topics", size: Int(Int32.max), limit: Limits.arrayElementsMax)
        ) { try CodecChecks.decode(CreateTopicsRequest.self, bytes, version: 2) }
        let lying: [UInt8] = [0x00, 0x00, 0x03, 0xE8, 0x00, 0x01]  // 1000 topics, 2 bytes left
        #expect(throws: DecodeError.self) {
            try CodecChecks.decode(CreateTopicsRequest.self, lying, version: 2)
        }
    }

    @Test("a compact array count of UInt32.max in a flexible Produce is refused")
    func hugeCompactCount() {
        // transactional_id null, acks -1, timeout 0, topic_data count varint 0xFFFFFFFF.
        let bytes: [UInt8] = [
            0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F,
        ]
        #expect(
            throws: DecodeError.tooLarge(
                field: "topic_data", size: Int(UInt32.max) - 1, limit: Limits.arrayElementsMax)
        ) { try CodecChecks.decode(ProduceRequest.self, bytes, version: 9) }
    }

    @Test("RECORDS bytes declaring more than the frame holds are truncated, not over-read")
    func forgedBytesLength() {
        // Produce v3: null transactional id, acks 1, timeout 0, 1 topic "t", 1 partition 0,
        // records length 64 MiB (under socket.request.max.bytes) with 3 bytes behind it.
        let bytes: [UInt8] =
            [
                0xFF, 0xFF, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
                0x74,
            ]
            + [
                0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x02,
                0x03,
            ]
        #expect(throws: DecodeError.truncated(field: "records")) {
            try CodecChecks.decode(ProduceRequest.self, bytes, version: 3)
        }
    }

    @Test("a string length of -2 in the request header closes the connection")
    func negativeClientIdLength() {
        let frame: [UInt8] = [0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xFF, 0xFE]
        var reader = WireReader(ByteBuffer(bytes: frame))
        #expect(throws: DecodeError.invalid(field: "client_id", reason: "negative length -2")) {
            try RequestHeader(from: &reader, headerVersion: 1)
        }
        #expect(brokerCloses(frame))
    }

    @Test("empty and cut-short frames close the connection", arguments: [0, 1, 2, 3, 5, 7])
    func tinyFrames(length: Int) {
        let frame: [UInt8] = [0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]
        #expect(brokerCloses(Array(frame.prefix(length))))
    }

    // MARK: - Varints and tagged fields

    @Test("a varint running past 32 bits in a tag count is invalid, also via the broker")
    func overlongVarint() {
        let tail: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x80, 0x01]
        #expect(throws: DecodeError.self) {
            try CodecChecks.decode(DescribeClusterRequest.self, [0x00] + tail, version: 0)
        }
        var reader = WireReader(ByteBuffer(bytes: tail))
        #expect(throws: DecodeError.invalid(field: "n", reason: "varint longer than 32 bits")) {
            try reader.readUnsignedVarint("n")
        }
        // ApiVersions v3 whose client_software_name length is that varint.
        let frame: [UInt8] =
            [0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0xFF, 0xFF, 0x00] + tail
        #expect(brokerCloses(frame))
    }

    @Test("a varlong of ten 0xFF bytes is invalid, not an overflow")
    func overlongVarlong() {
        var reader = WireReader(ByteBuffer(bytes: [UInt8](repeating: 0xFF, count: 10) + [0x01]))
        #expect(throws: DecodeError.invalid(field: "n", reason: "varlong longer than 64 bits")) {
            try reader.readVarlong("n")
        }
    }

    @Test("tagged fields: too many, out of order, or longer than the bytes left")
    func taggedFieldForgeries() {
        let tooMany: [UInt8] = [0x00, 0x81, 0x08]  // 1025 tags
        #expect(
            throws: DecodeError.tooLarge(field: "DescribeClusterRequest", size: 1_025, limit: 1_024)
        ) {
            try CodecChecks.decode(DescribeClusterRequest.self, tooMany, version: 0)
        }
        let outOfOrder: [UInt8] = [0x00, 0x02, 0x01, 0x00, 0x00, 0x00]  // tags 1 then 0
        #expect(
            throws: DecodeError.invalid(
                field: "DescribeClusterRequest", reason: "tags out of order")
        ) {
            try CodecChecks.decode(DescribeClusterRequest.self, outOfOrder, version: 0)
        }
        let tooLong: [UInt8] = [0x00, 0x01, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00]
        #expect(throws: DecodeError.truncated(field: "DescribeClusterRequest")) {
            try CodecChecks.decode(DescribeClusterRequest.self, tooLong, version: 0)
        }
    }

    // MARK: - Nesting

    @Test("Fetch v15: a replica_state tag whose own tag section is forged gives an error")
    func nestedTaggedFields() {
        var w = WireWriter()
        FetchRequest().encode(to: &w, version: 15)
        var bytes = Array(w.buffer.readableBytesView)
        bytes.removeLast()  // the empty top-level tag section
        // One tag: replica_state (1), 14 bytes: replica id, epoch, then an inner section that
        // claims 100 tags with one byte to read them from.
        bytes += [0x01, 0x01, 0x0E, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0x64, 0x00]
        #expect(throws: DecodeError.self) {
            try CodecChecks.decode(FetchRequest.self, bytes, version: 15)
        }
    }

    @Test("arrays nested three deep, each claiming the bytes left, end in an error")
    func nestedArraysClaimEverything() {
        // CreateTopics v5: 1 topic named "t", assignments of 20 (compact 21), the first with
        // broker_ids of 20, then the bytes run out.
        let bytes: [UInt8] =
            [0x02, 0x02, 0x74, 0, 0, 0, 1, 0, 1, 0x15, 0, 0, 0, 0, 0x15, 0, 0, 0, 1, 0, 0, 0, 2]
            + [UInt8](repeating: 0, count: 10)
        #expect(throws: DecodeError.self) {
            try CodecChecks.decode(CreateTopicsRequest.self, bytes, version: 5)
        }
    }

    // MARK: - Record batches

    @Test("a sealed batch declaring Int32.max records with none behind it is refused cleanly")
    func forgedRecordCount() {
        let bytes = BatchFixtures.sealedBatch(
            section: [], recordsCount: .max, lastOffsetDelta: .max - 1)
        let error = #expect(throws: RecordDecodeError.self) {
            try RecordBatchDecoder.decodeAll(ByteBuffer(bytes: bytes))
        }
        guard case .record(index: 0, .truncated) = error else {
            Issue.record("expected record 0 truncated, got \(String(describing: error))")
            return
        }
        guard case .success = RecordBatchView.batches(in: ByteBuffer(bytes: bytes)) else {
            Issue.record("the header itself is valid; only the records are missing")
            return
        }
    }

    @Test("a record whose length varint says Int32.max is truncated")
    func forgedRecordLength() {
        let section: [UInt8] = [0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x00]  // zig-zag Int32.max
        let bytes = BatchFixtures.sealedBatch(section: section, recordsCount: 1, lastOffsetDelta: 0)
        #expect(throws: RecordDecodeError.record(index: 0, .truncated(field: "Record.body"))) {
            try RecordBatchDecoder.decodeAll(ByteBuffer(bytes: bytes))
        }
    }

    @Test("a record with a forged header count of a million is invalid before allocating")
    func forgedHeaderCount() {
        // length 10: attributes, timestampDelta 0, offsetDelta 0, key null, value null, then
        // header count 1_000_000 (zig-zag varint 0x80 0x89 0x7A) and two bytes.
        let record: [UInt8] = [0x14, 0x00, 0x00, 0x00, 0x01, 0x01, 0x80, 0x89, 0x7A, 0x00, 0x00]
        let bytes = BatchFixtures.sealedBatch(section: record, recordsCount: 1, lastOffsetDelta: 0)
        let error = #expect(throws: RecordDecodeError.self) {
            try RecordBatchDecoder.decodeAll(ByteBuffer(bytes: bytes))
        }
        guard case .record(index: 0, .invalid(field: "Record.headers", _)) = error else {
            Issue.record("expected an invalid header count, got \(String(describing: error))")
            return
        }
    }

    @Test("batch lengths of Int32.max and below the header are refused by both readers")
    func forgedBatchLength() {
        for length in [Int32.max, 10, -1] {
            let bytes = BatchFixtures.setting(
                length, at: RecordBatchHeader.lengthAt, in: BatchFixtures.kafkaPythonPlain)
            guard case .failure = RecordBatchView.batches(in: ByteBuffer(bytes: bytes)) else {
                Issue.record("length \(length) accepted by the view")
                continue
            }
            #expect(throws: RecordDecodeError.self, "length \(length)") {
                try RecordBatchDecoder.decodeAll(ByteBuffer(bytes: bytes))
            }
        }
    }
}
