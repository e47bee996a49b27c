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
        let (results, image) = service.createTopics(
            [CreatableTopic(name: "payments")], validateOnly: false)
        #expect(results.first?.errorCode == ErrorCode.none && image.topic("payments") != nil)
        let reloaded = try ClusterMetadataService(dataDirectory: dir, seed: 1)
        #expect(reloaded.image == service.image)
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("a registration's broker epoch is the offset of its record")
    func registrationEpoch() throws {
        let dir = temporaryDirectory("metadata-epoch")
        let service = try ClusterMetadataService(dataDirectory: dir, seed: 1)
        try service.register(NodeID(1), host: "127.0.0.1", port: 9092)
        try service.register(NodeID(2), host: "127.0.0.1", port: 9093)
        #expect(
            service.image.brokers[NodeID(1)]?.epoch == 0
                && service.image.brokers[NodeID(2)]?.epoch == 1)
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
            _ = service.createTopics([CreatableTopic(name: "second")], validateOnly: false)
        }
        other.start()
        _ = service.createTopics([CreatableTopic(name: "first")], validateOnly: false)
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
