// Embedded tests: a data directory from before KRaft (one `cluster-metadata.log` for the whole
// cluster) starts as a KRaft cluster with the learner's topics and configs, and the old file is
// kept aside, never silently dropped.

import Foundation
import Testing

@testable import Cluster

@Suite struct LegacyDataDirectoryTests {
    @Test("an old cluster-metadata.log becomes the quorum's first records: topic and config are back")
    func converts() async throws {
        let dir = temporaryDirectory("legacy-dir")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // The old file's registration, topic "orders" with its partition, and its config;
        // not its removal (LegacyMetadataLogTests reads that part).
        let T = LegacyMetadataLogTests.self
        let oldRecords = T.oldFileEntries.prefix(4).reduce([], +)
        try Data(oldRecords).write(to: URL(fileURLWithPath: dir + "/cluster-metadata.log"))
        let cluster = try EmbeddedCluster(config: EmbeddedClusterConfig(brokerCount: 1, dataDirectory: dir))
        try await cluster.start()
        #expect(await cluster.waitUntilReady())
        let topic = try #require(cluster.image.topic("orders"))
        #expect(topic.id == T.topicId)
        #expect(topic.configs["retention.ms"] == "1000")
        #expect(topic.partitions.map(\.replicas) == [[NodeID(1)]])
        #expect(FileManager.default.fileExists(atPath: dir + "/cluster-metadata.log.converted"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/cluster-metadata.log"))
        await cluster.shutdown()

        // A second start reads the quorum's own log: the topic is still there, once.
        let again = try EmbeddedCluster(config: EmbeddedClusterConfig(brokerCount: 1, dataDirectory: dir))
        try await again.start()
        #expect(await again.waitUntilReady())
        #expect(again.image.topicNames == ["orders"])
        await again.shutdown()
    }
}
