// Protocol tests: Produce (key 0). Goal: every version 3-10 round-trips with the records
// carried as untouched bytes, hand-built bytes from the JSON schema decode and re-encode
// exactly (tagged fields only when set), and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct ProduceTests {
    /// Opaque stand-ins for RECORDS: the codec must neither look at them nor change them.
    static let records = ByteBuffer(bytes: [0x00, 0x01, 0x02, 0xFE, 0xFF, 0x7F])

    static func request(version: Int16) -> ProduceRequest {
        ProduceRequest(
            transactionalId: "tx-1", acks: 1, timeoutMs: 1_500,
            topicData: [
                .init(
                    name: "orders",
                    partitionData: [
                        .init(index: 0, records: records), .init(index: 1, records: nil),
                        .init(index: 2, records: ByteBuffer()),
                    ]), .init(name: "empty"),
            ])
    }

    static func response(version: Int16) -> ProduceResponse {
        ProduceResponse(
            responses: [
                .init(
                    name: "orders",
                    partitionResponses: [
                        .init(
                            index: 0, baseOffset: 42, logAppendTimeMs: 1_700_000_000_000,
                            logStartOffset: version >= 5 ? 7 : -1),
                        .init(
                            index: 1,
                            errorCode: version >= 8 ? .invalidRecord : .notLeaderOrFollower,
                            recordErrors: version >= 8
                                ? [
                                    .init(batchIndex: 3, batchIndexErrorMessage: "bad key"),
                                    .init(batchIndex: 4),
                                ] : [], errorMessage: version >= 8 ? "one bad record" : nil,
                            currentLeader: version >= 10
                                ? .init(leaderId: 2, leaderEpoch: 9) : .init()),
                    ])
            ], throttleTimeMs: 5,
            nodeEndpoints: version >= 10
                ? [.init(nodeId: 2, host: "127.0.0.1", port: 9093, rack: "r2")] : [])
    }

    @Test("every version round-trips request and response", arguments: ProduceRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(ProduceRequest(), version: version)
        try CodecChecks.expectRoundTrip(ProduceResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: ProduceRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("records come out as the very bytes that went in") func recordsUntouched() throws {
        let decoded = try CodecChecks.decode(
            ProduceRequest.self, CodecChecks.encode(Self.request(version: 9), version: 9),
            version: 9)
        #expect(decoded.topicData.first?.partitionData.first?.records == Self.records)
    }

    @Test("v3 request bytes built from the schema decode and re-encode exactly")
    func fixtureV3Request() throws {
        let bytes: [UInt8] =
            [0xFF, 0xFF]  // transactional_id: null
            + [0xFF, 0xFF]  // acks -1
            + [0x00, 0x00, 0x75, 0x30]  // timeout_ms 30000
            + [0x00, 0x00, 0x00, 0x01]  // topic_data: count 1
            + [0x00, 0x01, 0x74]  // name "t"
            + [0x00, 0x00, 0x00, 0x01]  // partition_data: count 1
            + [0x00, 0x00, 0x00, 0x00]  // index 0
            + [0x00, 0x00, 0x00, 0x03, 0xDE, 0xAD, 0xBE]  // records: int32 length 3, raw bytes
        let expected = ProduceRequest(topicData: [
            .init(
                name: "t",
                partitionData: [.init(index: 0, records: ByteBuffer(bytes: [0xDE, 0xAD, 0xBE]))])
        ])
        #expect(try CodecChecks.decode(ProduceRequest.self, bytes, version: 3) == expected)
        #expect(CodecChecks.encode(expected, version: 3) == bytes)
    }

    @Test("v9 request bytes built from the schema decode and re-encode exactly")
    func fixtureV9Request() throws {
        let bytes: [UInt8] =
            [0x02, 0x78]  // transactional_id "x"
            + [0x00, 0x01]  // acks 1
            + [0x00, 0x00, 0x75, 0x30]  // timeout_ms 30000
            + [0x02]  // topic_data: compact count 1
            + [0x02, 0x74]  // name "t"
            + [0x02]  // partition_data: compact count 1
            + [0x00, 0x00, 0x00, 0x01]  // index 1
            + [0x04, 0xDE, 0xAD, 0xBE]  // records: compact length 3 (+1), raw bytes
            + [0x00]  // partition tagged fields
            + [0x00]  // topic tagged fields
            + [0x00]  // tagged fields
        let expected = ProduceRequest(
            transactionalId: "x", acks: 1,
            topicData: [
                .init(
                    name: "t",
                    partitionData: [
                        .init(index: 1, records: ByteBuffer(bytes: [0xDE, 0xAD, 0xBE]))
                    ])
            ])
        #expect(try CodecChecks.decode(ProduceRequest.self, bytes, version: 9) == expected)
        #expect(CodecChecks.encode(expected, version: 9) == bytes)
    }

    @Test("v3 response bytes built from the schema decode and re-encode exactly")
    func fixtureV3Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // responses: count 1
            + [0x00, 0x01, 0x74]  // name "t"
            + [0x00, 0x00, 0x00, 0x01]  // partition_responses: count 1
            + [0x00, 0x00, 0x00, 0x00]  // index 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05]  // base_offset 5
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // log_append_time_ms -1
            + [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
        let expected = ProduceResponse(responses: [
            .init(name: "t", partitionResponses: [.init(index: 0, baseOffset: 5)])
        ])
        #expect(try CodecChecks.decode(ProduceResponse.self, bytes, version: 3) == expected)
        #expect(CodecChecks.encode(expected, version: 3) == bytes)
    }

    @Test("v10 response bytes with current_leader and node_endpoints decode and re-encode exactly")
    func fixtureV10Response() throws {
        let bytes: [UInt8] =
            [0x02]  // responses: compact count 1
            + [0x02, 0x74]  // name "t"
            + [0x02]  // partition_responses: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // index 0
            + [0x00, 0x06]  // error_code NOT_LEADER_OR_FOLLOWER
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // base_offset -1
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // log_append_time_ms -1
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // log_start_offset -1
            + [0x01]  // record_errors: compact count 0
            + [0x00]  // error_message: null
            + [0x01, 0x00, 0x09]  // tagged: 1 field, tag 0 (current_leader), size 9
            + [0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07]  //   leader_id 2, leader_epoch 7
            + [0x00]  //   no tags
            + [0x00]  // topic tagged fields
            + [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x01, 0x00, 0x0D]  // tagged: 1 field, tag 0 (node_endpoints), size 13
            + [0x02, 0x00, 0x00, 0x00, 0x02]  //   compact count 1, node_id 2
            + [0x02, 0x68, 0x00, 0x00, 0x23, 0x85]  //   host "h", port 9093
            + [0x00, 0x00]  //   rack null, no tags
        let expected = ProduceResponse(
            responses: [
                .init(
                    name: "t",
                    partitionResponses: [
                        .init(
                            index: 0, errorCode: .notLeaderOrFollower,
                            currentLeader: .init(leaderId: 2, leaderEpoch: 7))
                    ])
            ], nodeEndpoints: [.init(nodeId: 2, host: "h", port: 9093)])
        #expect(try CodecChecks.decode(ProduceResponse.self, bytes, version: 10) == expected)
        #expect(CodecChecks.encode(expected, version: 10) == bytes)
    }

    @Test("a v10 response with the default leader and no endpoints carries empty tag sections")
    func noTagsWhenDefault() {
        let response = ProduceResponse(responses: [
            .init(name: "t", partitionResponses: [.init(index: 0, baseOffset: 1)])
        ])
        let bytes: [UInt8] =
            [0x02, 0x02, 0x74, 0x02]  // responses: 1, name "t", partition_responses: 1
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00]  // index 0, error_code NONE
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]  // base_offset 1
            + [UInt8](repeating: 0xFF, count: 16)  // log_append_time_ms -1, log_start_offset -1
            + [0x01, 0x00]  // record_errors: 0, error_message: null
            + [0x00]  // partition tagged fields: none (current_leader is -1/-1)
            + [0x00]  // topic tagged fields
            + [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00]  // tagged fields: none (no node_endpoints)
        #expect(CodecChecks.encode(response, version: 10) == bytes)
    }

    @Test("a forged count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                ProduceRequest.self,
                [0xFF, 0xFF, 0x00, 0x01, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0x00], version: 3)
        }
        #expect(throws: DecodeError.self) {  // records length 0x7fffffff
            _ = try CodecChecks.decode(
                ProduceRequest.self,
                [
                    0x00, 0x00, 0x01, 0, 0, 0, 0, 0x02, 0x02, 0x74, 0x02, 0, 0, 0, 0, 0x80, 0x80,
                    0x80, 0x80, 0x08, 0x00,
                ], version: 9)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(ProduceRequest.self)
    }
}
