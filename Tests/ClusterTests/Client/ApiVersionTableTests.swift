// Client tests: version negotiation. Goal: each request goes at the highest version both
// sides speak, and a broker sharing none is refused with both ranges named.

import Testing

@testable import Cluster

@Suite struct ApiVersionTableTests {
    static func table(_ ranges: [ApiKey: ClosedRange<Int16>]) -> ApiVersionTable {
        ApiVersionTable(
            nodeId: 1,
            response: ApiVersionsResponse(
                apiKeys: ranges.keys.sorted().map {
                    ApiVersionsResponse.ApiVersion(
                        apiKey: $0, minVersion: ranges[$0]?.lowerBound ?? 0,
                        maxVersion: ranges[$0]?.upperBound ?? 0)
                }))
    }

    @Test("picks the highest version both sides support")
    func highestCommon() throws {
        let newer = Self.table([.fetch: 0...17, .produce: 0...12, .metadata: 0...13])
        #expect(try newer.version(for: FetchRequest.self) == 16)
        #expect(try newer.version(for: ProduceRequest.self) == 10)
        #expect(try newer.version(for: MetadataRequest.self) == 12)
        let older = Self.table([.fetch: 0...11, .produce: 0...8])
        #expect(try older.version(for: FetchRequest.self) == 11)
        #expect(try older.version(for: ProduceRequest.self) == 8)
    }

    @Test("a cap lowers the version (Fetch below v13 when a topic id is unknown)")
    func cap() throws {
        let table = Self.table([.fetch: 0...17])
        #expect(try table.version(for: FetchRequest.self, cap: 12) == 12)
    }

    @Test("refuses when the ranges do not overlap, naming both")
    func disjoint() {
        let table = Self.table([.produce: 0...2])
        #expect(
            throws: KafkaClientError.unsupportedVersion(
                api: .produce, broker: 1, brokerVersions: 0...2, clientVersions: 3...10)
        ) {
            try table.version(for: ProduceRequest.self)
        }
        let error = KafkaClientError.unsupportedVersion(
            api: .produce, broker: 1, brokerVersions: 0...2, clientVersions: 3...10)
        #expect(error.description.contains("Produce v0-2"))
        #expect(error.description.contains("v3-10"))
    }

    @Test("refuses an API the broker does not list at all")
    func missing() {
        let table = Self.table([.produce: 3...10])
        #expect(throws: KafkaClientError.self) {
            try table.version(for: DescribeClusterRequest.self)
        }
        #expect(!table.supports(.describeCluster))
        #expect(table.usableVersion(.describeCluster, ours: 0...2) == nil)
    }

    @Test("ignores a range whose min is above its max")
    func inverted() {
        let table = ApiVersionTable(
            nodeId: 1,
            response: ApiVersionsResponse(apiKeys: [
                ApiVersionsResponse.ApiVersion(apiKey: .fetch, minVersion: 9, maxVersion: 4)
            ]))
        #expect(!table.supports(.fetch))
    }
}
