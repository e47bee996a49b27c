// Embedded room: the process-wide home of cluster metadata in this slice: the quorum
// controller's decisions, its record log on disk, and the push of each new image to every
// running broker. The KRaft slice replaces the file with a Raft log replicated between nodes.

import Foundation
import NIOCore

/// Serialises controller decisions, persists their records, and publishes the new image.
///
/// `@unchecked Sendable`: the controller, `running`, `clock`, `incarnations` and `publish` are
/// guarded by `lock`, and `publishedOffset` by `publishLock` (taken after `lock` is released,
/// never inside it); brokers call in from their own event loops. It drives a real
/// `QuorumController`, always active, standing in for the quorum: the records written are
/// Kafka's metadata records, and brokers are registered, fenced and unfenced through the same
/// BrokerRegistration and BrokerHeartbeat decisions a KRaft controller makes. There are no
/// heartbeats yet: a broker is fenced when it stops running and unfenced when it runs again.
public final class ClusterMetadataService: ControllerLink, @unchecked Sendable {
    private let lock = NSLock()
    private var controller: QuorumController
    private var running: Set<NodeID> = []
    /// Logical time for the controller's sessions. There is no clock here: time jumps one
    /// session timeout before each registration, so a broker that registers anew is never
    /// taken for a duplicate of its previous life.
    private var clock = Instant.zero
    /// Incarnation ids of registrations (with the offset mixed in), seeded so a run repeats.
    private var incarnations: SplitMix64
    private let logPath: String
    private var publish: @Sendable (MetadataImage) -> Void = { _ in }
    /// Serialises publishing, so that nodes receive images in offset order.
    private let publishLock = NSLock()
    private var publishedOffset: Int64 = -1
    public static let fileName = LegacyMetadataLog.fileName

    /// Loads the metadata log from `dataDirectory` (old or new record encoding, through
    /// `LegacyMetadataLog`), replaying every intact record; a torn tail (a crash mid-write) is
    /// cut off. A fresh directory starts with the controller's bootstrap records.
    public init(dataDirectory: String, seed: UInt64) throws(ClusterError) {
        logPath = dataDirectory + "/" + Self.fileName
        controller = QuorumController(seed: seed)
        incarnations = SplitMix64(seed: seed &+ 0x1CA2_7A71_0000_0001)
        let data = FileManager.default.contents(atPath: logPath) ?? Data()
        let contents = LegacyMetadataLog.decode(ByteBuffer(bytes: data))
        if contents.validBytes < data.count, let handle = FileHandle(forWritingAtPath: logPath) {
            try? handle.truncate(atOffset: UInt64(contents.validBytes))
            try? handle.close()
        }
        for record in contents.records {
            controller.replay(record, offset: controller.image.offset + 1)
        }
        controller.activate(now: clock)
        if controller.image.offset < 0,
            let failure = commit({ controller in
                ControllerResult(records: controller.bootstrapRecords(), response: ())
            }).failure
        {
            throw failure
        }
    }

    public var image: MetadataImage { lock.withLock { controller.image } }

    /// Where new images go (every running node's `apply(image:)`).
    public func setPublisher(_ publish: @escaping @Sendable (MetadataImage) -> Void) {
        lock.withLock { self.publish = publish }
    }

    /// Marks a broker running or not. One that stops running is fenced, as a KRaft controller
    /// fences a broker whose session ran out: it leads nothing until it registers again.
    public func setRunning(_ id: NodeID, _ isRunning: Bool) {
        lock.withLock {
            if isRunning { running.insert(id) } else { running.remove(id) }
        }
        guard !isRunning else { return }
        commit { controller -> ControllerResult<BrokerHeartbeatResponse> in
            guard let broker = controller.image.brokers[id], !broker.fenced else {
                return ControllerResult(response: BrokerHeartbeatResponse())
            }
            return controller.handleBrokerHeartbeat(
                BrokerHeartbeatRequest(
                    brokerId: id.rawValue, brokerEpoch: broker.epoch,
                    currentMetadataOffset: controller.image.offset, wantFence: true),
                now: clock)
        }
    }

    /// Registers a broker's listener (anew if it changed) and unfences it, as its first
    /// heartbeat after catching up would.
    public func register(_ id: NodeID, host: String, port: Int) throws(ClusterError) {
        let registered = commit { controller -> ControllerResult<BrokerRegistrationResponse> in
            if let known = controller.image.brokers[id], known.host == host, known.port == port,
                !known.inControlledShutdown
            {
                return ControllerResult(
                    response: BrokerRegistrationResponse(brokerEpoch: known.epoch))
            }
            clock = clock + controller.config.brokerSessionTimeout
            let request = BrokerRegistrationRequest(
                brokerId: id.rawValue,
                // The offset makes it differ from every earlier registration in this log, even
                // one made by a previous process with the same seed.
                incarnationId: Uuid(
                    mostSignificantBits: incarnations.next(),
                    leastSignificantBits: UInt64(bitPattern: controller.image.offset + 1)),
                listeners: [.init(name: "PLAINTEXT", host: host, port: UInt16(clamping: port))],
                features: [
                    .init(
                        name: FeatureLevelRecord.metadataVersionFeature,
                        minSupportedVersion: FeatureLevelRecord.metadataVersionMinimum,
                        maxSupportedVersion: FeatureLevelRecord.metadataVersion4_0_IV3)
                ])
            return controller.handleBrokerRegistration(
                request, nextOffset: controller.image.offset + 1, now: clock)
        }
        if let failure = registered.failure { throw failure }
        let unfenced = commit { controller -> ControllerResult<BrokerHeartbeatResponse> in
            guard let broker = controller.image.brokers[id], broker.fenced else {
                return ControllerResult(response: BrokerHeartbeatResponse())
            }
            return controller.handleBrokerHeartbeat(
                BrokerHeartbeatRequest(
                    brokerId: id.rawValue, brokerEpoch: broker.epoch,
                    currentMetadataOffset: controller.image.offset),
                now: clock)
        }
        if let failure = unfenced.failure { throw failure }
    }

    /// Runs a decision under the lock, appends its records durably, replays them, publishes.
    /// When the records cannot be written they are dropped and the image stays as it was; the
    /// answer is still the one decided, and `failure` says why.
    @discardableResult
    private func commit<Response>(
        _ decide: (inout QuorumController) -> ControllerResult<Response>
    ) -> (response: Response, image: MetadataImage, failure: ClusterError?) {
        lock.lock()
        let result = decide(&controller)
        guard !result.records.isEmpty else {
            defer { lock.unlock() }
            return (result.response, controller.image, nil)
        }
        do {
            try append(result.records)
        } catch {
            defer { lock.unlock() }
            return (result.response, controller.image, error)
        }
        for record in result.records {
            controller.replay(record, offset: controller.image.offset + 1)
        }
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
        return (result.response, image, nil)
    }

    private func decide<Response>(
        _ decide: (inout QuorumController) -> ControllerResult<Response>
    ) -> (response: Response, image: MetadataImage) {
        let outcome = commit(decide)
        return (outcome.response, outcome.image)
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

    public func createTopics(_ request: CreateTopicsRequest) -> (
        response: CreateTopicsResponse, image: MetadataImage
    ) {
        decide { $0.handleCreateTopics(request) }
    }

    public func deleteTopics(_ request: DeleteTopicsRequest) -> (
        response: DeleteTopicsResponse, image: MetadataImage
    ) {
        decide { $0.handleDeleteTopics(request) }
    }

    public func createPartitions(_ request: CreatePartitionsRequest)
        -> (response: CreatePartitionsResponse, image: MetadataImage)
    {
        decide { $0.handleCreatePartitions(request) }
    }

    public func incrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest)
        -> (response: IncrementalAlterConfigsResponse, image: MetadataImage)
    {
        decide { $0.handleIncrementalAlterConfigs(request) }
    }

    public func alterConfigs(_ request: AlterConfigsRequest) -> (
        response: AlterConfigsResponse, image: MetadataImage
    ) {
        decide { $0.handleAlterConfigs(request) }
    }

    public func allocateProducerIds(_ request: AllocateProducerIdsRequest)
        -> AllocateProducerIdsResponse
    {
        decide { $0.handleAllocateProducerIds(request) }.response
    }

    public func activeControllerId() -> Int32 {
        lock.withLock { running.min()?.rawValue ?? -1 }
    }
}
