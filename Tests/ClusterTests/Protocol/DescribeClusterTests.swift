// Protocol tests: DescribeCluster (key 60). Goal: every version 0-2 round-trips, hand-built
// bytes from the JSON schema decode and re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct DescribeClusterTests {
    static func request(version: Int16) -> DescribeClusterRequest {
        DescribeClusterRequest(
            includeClusterAuthorizedOperations: true,
            endpointType: version >= 1
                ? DescribeClusterRequest.controllersEndpointType
                : DescribeClusterRequest.brokersEndpointType, includeFencedBrokers: version >= 2)
    }

    static func response(version: Int16) -> DescribeClusterResponse {
        DescribeClusterResponse(
            throttleTimeMs: 3, errorMessage: "fine", endpointType: version >= 1 ? 2 : 1,
            clusterId: "c-lu5ter", controllerId: 1,
            brokers: [
                .init(brokerId: 1, host: "127.0.0.1", port: 9092, rack: "a"),
                .init(brokerId: 2, host: "127.0.0.1", port: 9093, isFenced: version >= 2),
            ], clusterAuthorizedOperations: 0x0FFF)
    }

    @Test(
        "every version round-trips request and response", arguments: DescribeClusterRequest.versions
    ) func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(DescribeClusterRequest(), version: version)
        try CodecChecks.expectRoundTrip(DescribeClusterResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: DescribeClusterRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("v0 and v2 request bytes built from the schema decode and re-encode exactly")
    func fixtureRequests() throws {
        let v0: [UInt8] = [0x01, 0x00]  // include_cluster_authorized_operations true, tagged fields
        // include_cluster_authorized_operations false, endpoint_type 2, include_fenced_brokers
        // true, tagged fields
        let v2: [UInt8] = [0x00, 0x02, 0x01, 0x00]
        #expect(
            try CodecChecks.decode(DescribeClusterRequest.self, v0, version: 0)
                == .init(includeClusterAuthorizedOperations: true))
        #expect(
            CodecChecks.encode(
                DescribeClusterRequest(includeClusterAuthorizedOperations: true), version: 0) == v0)
        let expected = DescribeClusterRequest(endpointType: 2, includeFencedBrokers: true)
        #expect(try CodecChecks.decode(DescribeClusterRequest.self, v2, version: 2) == expected)
        #expect(CodecChecks.encode(expected, version: 2) == v2)
    }

    @Test("v2 response bytes built from the schema decode and re-encode exactly")
    func fixtureV2Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00]  // error_message: null
            + [0x01]  // endpoint_type brokers
            + [0x02, 0x63]  // cluster_id "c"
            + [0x00, 0x00, 0x00, 0x01]  // controller_id 1
            + [0x02]  // brokers: compact count 1
            + [0x00, 0x00, 0x00, 0x02]  // broker_id 2
            + [0x02, 0x68]  // host "h"
            + [0x00, 0x00, 0x23, 0x85]  // port 9093
            + [0x00]  // rack: null
            + [0x01]  // is_fenced true
            + [0x00]  // broker tagged fields
            + [0x80, 0x00, 0x00, 0x00]  // cluster_authorized_operations INT32_MIN
            + [0x00]  // tagged fields
        let expected = DescribeClusterResponse(
            clusterId: "c", controllerId: 1,
            brokers: [.init(brokerId: 2, host: "h", port: 9093, isFenced: true)])
        #expect(try CodecChecks.decode(DescribeClusterResponse.self, bytes, version: 2) == expected)
        #expect(CodecChecks.encode(expected, version: 2) == bytes)
    }

    @Test("a forged broker count of 0x7fffffff throws without allocating") func hugeCount() {
        let head: [UInt8] = [0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x02, 0x63, 0, 0, 0, 1]
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                DescribeClusterResponse.self, head + [0x80, 0x80, 0x80, 0x80, 0x08, 0, 0, 0, 0, 0],
                version: 1)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(DescribeClusterRequest.self)
    }
}
