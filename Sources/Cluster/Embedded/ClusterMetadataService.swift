// Embedded room: the process-wide home of cluster metadata in this slice: the local controller,
// its record log on disk, and the push of each new image to every running broker. The KRaft
// slice replaces the file with a Raft log replicated between the nodes.

import Foundation
import NIOCore

/// Serialises controller decisions, persists their records, and publishes the new image.
///
/// `@unchecked Sendable`: the controller, `running` and `publish` are guarded by `lock`, and
/// `publishedOffset` by `publishLock` (taken after `lock` is released, never inside it);
/// brokers call in from their own event loops. Mirrors the controller side of Kafka's KRaft mode without the quorum: the
/// records written are the same metadata records (`TopicRecord`, `PartitionRecord`...).
public final class ClusterMetadataService: ControllerLink, @unchecked Sendable {
    private let lock = NSLock()
    private var controller: LocalController
    private var running: Set<NodeID> = []
    private let logPath: String
    private var publish: @Sendable (MetadataImage) -> Void = { _ in }
    /// Serialises publishing, so that nodes receive images in offset order.
    private let publishLock = NSLock()
    private var publishedOffset: Int64 = -1
    public static let fileName = LegacyMetadataLog.fileName

    /// Loads the metadata log from `dataDirectory` (old or new record encoding, through
    /// `LegacyMetadataLog`), replaying every intact record; a torn tail (a crash mid-write) is
    /// cut off.
    public init(dataDirectory: String, seed: UInt64) throws(ClusterError) {
        logPath = dataDirectory + "/" + Self.fileName
        controller = LocalController(seed: seed)
        let data = FileManager.default.contents(atPath: logPath) ?? Data()
        let contents = LegacyMetadataLog.decode(ByteBuffer(bytes: data))
        if contents.validBytes < data.count, let handle = FileHandle(forWritingAtPath: logPath) {
            try? handle.truncate(atOffset: UInt64(contents.validBytes))
            try? handle.close()
        }
        for record in contents.records { controller.replay(record) }
    }

    public var image: MetadataImage { lock.withLock { controller.image } }

    /// Where new images go (every running node's `apply(image:)`).
    public func setPublisher(_ publish: @escaping @Sendable (MetadataImage) -> Void) {
        lock.withLock { self.publish = publish }
    }

    /// Brokers that are running: new partitions are placed only on these, as Kafka places
    /// only on unfenced brokers.
    public func setRunning(_ id: NodeID, _ isRunning: Bool) {
        lock.withLock {
            if isRunning { running.insert(id) } else { running.remove(id) }
        }
    }

    /// Registers a broker's listener if the image does not already have it.
    public func register(_ id: NodeID, host: String, port: Int) throws(ClusterError) {
        try commit { controller in
            if let known = controller.image.brokers[id], known.host == host, known.port == port { return [] }
            return controller.registerBroker(id, host: host, port: port, epoch: controller.image.offset + 1)
        }
    }

    /// Runs a decision under the lock, appends its records durably, replays them, publishes.
    @discardableResult
    private func commit(_ decide: (inout LocalController) -> [MetadataRecord]) throws(ClusterError) -> MetadataImage {
        lock.lock()
        let records = decide(&controller)
        guard !records.isEmpty else {
            defer { lock.unlock() }
            return controller.image
        }
        do {
            try append(records)
        } catch {
            lock.unlock()
            throw error
        }
        for record in records { controller.replay(record) }
        let image = controller.image
        let publish = self.publish
        lock.unlock()
        // Outside the decision lock, but in offset order: two commits racing here must not hand
        // a node image N after N+1. A newer image already published makes an older one moot.
        // `publish` only queues work on the nodes' loops, so holding this lock is brief.
        publishLock.withLock {
            guard image.offset > publishedOffset else { return }
            publishedOffset = image.offset
            publish(image)
        }
        return image
    }

    private func append(_ records: [MetadataRecord]) throws(ClusterError) {
        let out = LegacyMetadataLog.encode(records)
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: logPath) else {
            throw .io("Cannot open the metadata log \(logPath)")
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(out.readableBytesView))
            try handle.synchronize()
        } catch {
            throw .io("Cannot write the metadata log \(logPath): \(error)")
        }
    }

    // MARK: - ControllerLink

    public func createTopics(_ topics: [CreatableTopic], validateOnly: Bool) -> (results: [TopicResult], image: MetadataImage) {
        var results: [TopicResult] = []
        let image = (try? commit { controller in
            let live = Array(running).sorted()
            let (records, r) = controller.createTopics(topics, validateOnly: validateOnly, liveBrokers: live,
                                                      validateConfig: TopicConfigs.problem(with:))
            results = r
            return records
        }) ?? self.image
        return (results, image)
    }

    public func deleteTopics(names: [String], ids: [Uuid]) -> (results: [TopicResult], image: MetadataImage) {
        var results: [TopicResult] = []
        let image = (try? commit { controller in
            let (records, r) = controller.deleteTopics(names: names, ids: ids)
            results = r
            return records
        }) ?? self.image
        return (results, image)
    }

    public func allocateProducerIds(for broker: NodeID) -> Range<Int64> {
        var block: Range<Int64> = 0..<0
        _ = try? commit { controller in
            let (records, b) = controller.allocateProducerIds(for: broker)
            block = b
            return records
        }
        return block
    }

    public func alterTopicConfigs(_ topic: String, _ changes: [String: String?], validateOnly: Bool) -> (error: String?, image: MetadataImage) {
        var problem: String? = nil
        let image = (try? commit { controller in
            guard let current = controller.image.topic(topic) else {
                problem = "Topic \(topic) does not exist."
                return []
            }
            var merged = current.configs
            for (k, v) in changes { merged[k] = v ?? nil }
            if let p = TopicConfigs.problem(with: merged) {
                problem = p
                return []
            }
            return validateOnly ? [] : controller.alterConfigs(topic: topic, changes)
        }) ?? self.image
        return (problem, image)
    }

    public func createPartitions(_ topic: String, count: Int32, validateOnly: Bool) -> (error: (ErrorCode, String)?, image: MetadataImage) {
        var problem: (ErrorCode, String)? = nil
        let image = (try? commit { controller in
            let live = Array(running).sorted()
            switch controller.createPartitions(topic: topic, count: count, liveBrokers: live) {
            case .failure(let p):
                problem = (p.code, p.message)
                return []
            case .success(let records):
                return validateOnly ? [] : records
            }
        }) ?? self.image
        return (problem, image)
    }

    public func activeControllerId() -> Int32 {
        lock.withLock { running.min()?.rawValue ?? -1 }
    }
}
