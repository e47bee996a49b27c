// Embedded tests: the file-backed metadata service that stands in for the quorum. Goal: it
// still loads data directories written in the old record encoding, appends the new one, and
// hands images to its publisher in offset order even when commits race. Method: a temporary
// data directory, an old-format fixture, concurrent topic creations.

import Foundation
import NIOCore
import Testing

@testable import Cluster

@Suite struct ClusterMetadataServiceTests {
    @Test("an old cluster-metadata.log loads, its type-5 removal applied; new records append")
    func loadsOldFile() throws {
        let dir = temporaryDirectory("legacy-metadata")
        let path = dir + "/" + ClusterMetadataService.fileName
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data(LegacyMetadataLogTests.oldFile)))
        let service = try ClusterMetadataService(dataDirectory: dir, seed: 1)
        #expect(service.image.topicNames.isEmpty && service.image.offset == 5)
        #expect(service.image.brokers[NodeID(1)]?.port == 9093)
        service.setRunning(NodeID(1), true)
        let (response, image) = service.createTopics(
            CreateTopicsRequest(topics: [.init(name: "payments")]))
        #expect(response.topics.first?.errorCode == ErrorCode.none && image.topic("payments") != nil)
        let reloaded = try ClusterMetadataService(dataDirectory: dir, seed: 1)
        #expect(reloaded.image == service.image)
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("a fresh log starts with metadata.version; a broker's epoch is its registration's offset")
    func registrationEpoch() throws {
        let dir = temporaryDirectory("metadata-epoch")
        let service = try ClusterMetadataService(dataDirectory: dir, seed: 1)
        #expect(service.image.metadataVersion == FeatureLevelRecord.metadataVersion4_0_IV3)
        // Offsets: 0 FeatureLevelRecord, 1 register 1, 2 unfence 1, 3 register 2, 4 unfence 2.
        try service.register(NodeID(1), host: "127.0.0.1", port: 9092)
        try service.register(NodeID(2), host: "127.0.0.1", port: 9093)
        let one = try #require(service.image.brokers[NodeID(1)])
        let two = try #require(service.image.brokers[NodeID(2)])
        #expect(one.epoch == 1 && two.epoch == 3 && !one.fenced && !two.fenced)
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("a broker that stops running is fenced and its partitions lose their leader until it is back")
    func stoppedBrokerIsFenced() throws {
        let dir = temporaryDirectory("metadata-fence")
        let service = try ClusterMetadataService(dataDirectory: dir, seed: 1)
        try service.register(NodeID(1), host: "127.0.0.1", port: 9092)
        service.setRunning(NodeID(1), true)
        _ = service.createTopics(CreateTopicsRequest(topics: [.init(name: "orders")]))
        #expect(service.image.partition("orders", 0)?.leader == NodeID(1))
        service.setRunning(NodeID(1), false)
        #expect(service.image.brokers[NodeID(1)]?.fenced == true)
        #expect(service.image.partition("orders", 0)?.leader == nil)
        #expect(service.image.partition("orders", 0)?.isr == [NodeID(1)])
        service.setRunning(NodeID(1), true)
        try service.register(NodeID(1), host: "127.0.0.1", port: 9092)
        #expect(service.image.brokers[NodeID(1)]?.fenced == false)
        #expect(service.image.partition("orders", 0)?.leader == NodeID(1))
        #expect(service.image.partition("orders", 0)?.leaderEpoch == 2)
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("after a restart of the whole process a broker on a new port registers anew and is unfenced")
    func restartOnNewPort() throws {
        let dir = temporaryDirectory("metadata-restart")
        do {
            let first = try ClusterMetadataService(dataDirectory: dir, seed: 1)
            try first.register(NodeID(1), host: "127.0.0.1", port: 1000)
            first.setRunning(NodeID(1), true)
            first.setRunning(NodeID(1), false)
        }
        let second = try ClusterMetadataService(dataDirectory: dir, seed: 1)
        let before = try #require(second.image.brokers[NodeID(1)])
        #expect(before.fenced && before.port == 1000)
        try second.register(NodeID(1), host: "127.0.0.1", port: 2000)
        let after = try #require(second.image.brokers[NodeID(1)])
        #expect(!after.fenced && after.port == 2000 && after.epoch > before.epoch)
        #expect(after.incarnationId != before.incarnationId)
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("a commit that finishes while an older image is being published waits its turn")
    func publishesInOrder() throws {
        let dir = temporaryDirectory("metadata-order")
        let service = try ClusterMetadataService(dataDirectory: dir, seed: 1)
        try service.register(NodeID(1), host: "127.0.0.1", port: 9092)
        service.setRunning(NodeID(1), true)
        let published = Published()
        let publishing = DispatchSemaphore(value: 0)
        // The first image's delivery is held until a newer image is delivered or 300 ms pass:
        // without ordering the newer one overtakes it; with ordering it waits, and the hold
        // ends at its deadline.
        service.setPublisher { image in
            if published.claimFirst() {
                publishing.signal()
                published.waitForOffset(above: image.offset, timeoutMs: 300)
            }
            published.append(image.offset)
        }
        let other = Thread {
            publishing.wait()
            _ = service.createTopics(CreateTopicsRequest(topics: [.init(name: "second")]))
        }
        other.start()
        _ = service.createTopics(CreateTopicsRequest(topics: [.init(name: "first")]))
        published.waitForCount(2, timeoutMs: 10_000)
        let offsets = published.offsets
        #expect(offsets.count == 2 && offsets == offsets.sorted())
        #expect(offsets.last == service.image.offset)
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// The offsets a publisher saw, in the order it saw them.
private final class Published: @unchecked Sendable {
    // @unchecked: `condition` guards `list`.
    private let condition = NSCondition()
    private var list: [Int64] = []
    private var claimed = false

    /// True for the first caller only.
    func claimFirst() -> Bool {
        condition.withLock {
            defer { claimed = true }
            return !claimed
        }
    }

    func append(_ offset: Int64) {
        condition.withLock {
            list.append(offset)
            condition.broadcast()
        }
    }

    var offsets: [Int64] { condition.withLock { list } }

    func waitForOffset(above offset: Int64, timeoutMs: Int) {
        wait(timeoutMs) { $0.contains { $0 > offset } }
    }

    func waitForCount(_ count: Int, timeoutMs: Int) { wait(timeoutMs) { $0.count >= count } }

    private func wait(_ timeoutMs: Int, until done: ([Int64]) -> Bool) {
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        condition.withLock {
            while !done(list) && condition.wait(until: deadline) {}
        }
    }
}
