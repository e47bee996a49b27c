// Node room: one node of the cluster as a pure machine: its Raft voter (or observer), the
// quorum controller it runs while it leads, and its broker. Frames and ticks go in; frames,
// client answers and events come out. Disk goes through the injected FileSystem.

import NIOCore

/// A combined broker + controller node (Kafka's `KafkaRaftServer` with both roles), driven
/// by a host: `LiveNode` on sockets and the wall clock, or the seeded `ClusterSimulation`.
///
/// It never talks to another node by function call: every metadata question goes over the
/// Kafka protocol as frames in `NodeEffects`.
public struct Node {
    public internal(set) var config: NodeConfig
    public var id: NodeID { config.id }
    public internal(set) var raft: RaftNode
    /// The active controller, present only while this node leads the quorum and has replayed
    /// its whole log (Kafka's `QuorumController` in its active state).
    public internal(set) var controller: QuorumController?
    /// Everything committed, replayed: what the broker serves.
    public internal(set) var committedImage = MetadataImage()
    public internal(set) var broker: Broker
    let fs: any FileSystem
    let nodeDirectory: String
    var store: MetadataLogStore
    var entropy: SplitMix64
    /// The broker is given images only once the committed log reaches what was on disk at
    /// start, so a half-replayed image can never make it delete a partition it still has.
    var catchUpTarget: Int64
    var brokerCaughtUp = false
    var now: Instant
    var wallClockMs: Int64 = 0
    /// A metadata disk write failed: the node takes no further part (Kafka would halt it).
    public internal(set) var storageFailure: String?

    // Node-to-node requests this node sent and awaits, by wire correlation id.
    var nextWireId: Int32 = 1
    var outstanding: [Int32: Outstanding] = [:]
    // Raft requests that arrived, so the machine's answers find their connection.
    var raftInbound: [RaftInboundKey: PeerReplyTo] = [:]
    var raftFetchSendSeq = 0
    // Controller answers held until their records are committed.
    var pendingReplies: [PendingReply] = []
    var lifecycle: BrokerLifecycle
    var forwards: [Int: Forward] = [:]
    var nextForwardId = 1
    var parkedInitProducerIds: [(frame: ByteBuffer, connection: ConnectionID, clientHost: String)] = []
    var producerIdsInflight = false
    var offsetsTopicInflight = false
    var effects = NodeEffects()

    /// Opens the node's metadata log and quorum state from `nodeDirectory` and its partition
    /// logs, as a restarted Kafka node does.
    public init(config: NodeConfig, fs: any FileSystem, nodeDirectory: String, seed: UInt64, now: Instant, wallClockMs: Int64)
        throws(StorageError)
    {
        self.config = config
        self.fs = fs
        self.nodeDirectory = nodeDirectory
        self.now = now
        self.wallClockMs = wallClockMs
        var entropy = SplitMix64(seed: seed)
        try fs.makeDirectory(nodeDirectory)
        let opened = try MetadataLogStore.open(fs: fs, nodeDirectory: nodeDirectory)
        store = opened.store
        let quorumState = try QuorumStateFile.read(nodeDirectory: nodeDirectory, fs: fs)
        raft = RaftNode(id: config.id, config: config.raft, log: opened.log, quorumState: quorumState, seed: entropy.next(), now: now)
        catchUpTarget = opened.log.endOffset
        broker = Broker(
            identity: BrokerIdentity(nodeID: config.id, clusterID: config.clusterId, host: config.host, port: config.brokerPort),
            logDirectory: nodeDirectory, fs: fs)
        broker.offsetsTopicReplicationFactor = config.offsetsTopicReplicationFactor
        broker.replicaFetchConfig = config.replicaFetch
        // KIP-966: a broker that shut down cleanly proves it with its last broker epoch, so the
        // controller lets the new process replace its registration at once.
        let previousEpoch = Checkpoints.cleanShutdownBrokerEpoch(in: nodeDirectory, fs: fs) ?? -1
        broker.loadCheckpoints()
        broker.isRegistered = false
        // A new process must never reuse its predecessor's incarnation id (the controller would
        // take it for a retry): the start time and the log's length make each start distinct,
        // and both are inputs, so a simulation still replays exactly.
        var incarnation = SplitMix64(seed: entropy.next() ^ UInt64(bitPattern: wallClockMs) ^ UInt64(bitPattern: opened.log.endOffset) &* 0x9E37_79B9)
        lifecycle = BrokerLifecycle(incarnationId: Uuid(mostSignificantBits: incarnation.next(), leastSignificantBits: incarnation.next()))
        lifecycle.previousBrokerEpoch = previousEpoch
        self.entropy = entropy
        if opened.cutBytes > 0 {
            effects.notices.append("broker \(config.id): cut \(opened.cutBytes) torn byte(s) from the end of the metadata log")
        }
        record(.nodeStarted)
    }

    /// This broker's registration as it knows it: its broker epoch and whether the controller
    /// said it is fenced (nil until registered).
    public var registration: (brokerEpoch: Int64, fenced: Bool)? {
        lifecycle.brokerEpoch.map { ($0, lifecycle.fenced) }
    }

    /// A clean shutdown's last step: flush the logs and write the checkpoints and the
    /// clean-shutdown marker with this broker's epoch.
    public mutating func closeCleanly() {
        broker.shutdownCleanly(brokerEpoch: lifecycle.brokerEpoch ?? -1)
    }

    // MARK: - Time

    /// When `tick` next has work.
    public var nextDeadline: Instant {
        guard storageFailure == nil else { return Instant(nanoseconds: .max) }
        var deadlines = [raft.nextDeadline, broker.nextDeadline, lifecycle.nextDeadline(requestTimeout: config.raft.requestTimeout)]
        if let controller { deadlines.append(controller.nextDeadline) }
        // Replica fetches go out only once registered (each carries the broker epoch).
        if lifecycle.brokerEpoch != nil, let fetch = broker.nextReplicaFetch { deadlines.append(fetch) }
        deadlines += outstanding.values.map { $0.sentAt + config.raft.requestTimeout }
        deadlines += forwards.values.map(\.deadline)
        return deadlines.min() ?? Instant(nanoseconds: .max)
    }

    /// The passing of time: Raft timers, session expiry, heartbeats, timeouts.
    public mutating func tick(now: Instant, wallClockMs: Int64) -> NodeEffects {
        begin(now, wallClockMs)
        guard storageFailure == nil else { return finish() }
        absorb(raft.tick(now: now))
        if controller != nil, let result = controller?.tick(now: now) {
            commitControllerResult(result.records, events: result.events, reply: nil)
        }
        expireOutstanding()
        expireForwards()
        lifecycleTick()
        for reply in broker.tick(now: now, wallClockMs: wallClockMs) { effects.clientReplies.append(reply) }
        return finish()
    }

    mutating func begin(_ now: Instant, _ wallClockMs: Int64) {
        self.now = max(self.now, now)
        self.wallClockMs = wallClockMs
    }

    /// Hands the accumulated effects out, after what every input ends with.
    mutating func finish() -> NodeEffects {
        finishLeaderShutdown()
        maybeRequestInternalTopics()
        carryOutReplication()
        broker.completeDelayedOperations(now: now)
        effects.clientReplies += broker.takeDeferred()
        effects.notices += broker.drainNotices()
        defer { effects = NodeEffects() }
        return effects
    }

    func correlationClient() -> String { "node-\(config.id)" }

    mutating func newWireId() -> Int32 {
        defer { nextWireId = nextWireId == .max ? 1 : nextWireId + 1 }
        return nextWireId
    }

    mutating func record(_ kind: ClusterEvent.Kind) {
        effects.events.append(ClusterEvent(at: now, wallClockMs: wallClockMs, node: config.id, kind: kind))
    }

    // MARK: - Raft effects

    /// Makes Raft's changes durable, sends its messages, and applies what it committed.
    mutating func absorb(_ raftEffects: RaftEffects) {
        do {
            if !raftEffects.logChanges.isEmpty {
                try store.apply(raftEffects.logChanges, timestamp: wallClockMs)
                try store.sync()
                for change in raftEffects.logChanges {
                    if case .truncate(let offset) = change { catchUpTarget = min(catchUpTarget, offset) }
                }
            }
            if let state = raftEffects.quorumState {
                try QuorumStateFile.write(
                    state, clusterId: config.clusterId, voters: config.raft.voters, nodeDirectory: nodeDirectory, fs: fs)
            }
        } catch {
            // Nothing may be sent after a failed write: a peer would believe what the disk lost.
            storageFailure = "\(error)"
            record(.metadataStorageFailed("\(error)"))
            return
        }
        for event in raftEffects.events { record(.raft(event)) }
        for envelope in raftEffects.messages { sendRaft(envelope) }
        if let committed = raftEffects.committed { applyCommitted(committed) }
        if !pendingReplies.isEmpty { releasePendingReplies() }
        maybeChangeControllerState()
    }

    private mutating func sendRaft(_ envelope: RaftEnvelope) {
        if envelope.message.isRequest {
            let wireId = newWireId()
            let key = RaftWire.apiKey(of: envelope.message)
            var isFetch = false
            if case .fetch = envelope.message {
                raftFetchSendSeq += 1
                isFetch = true
            }
            outstanding[wireId] = Outstanding(
                to: envelope.to, apiKey: key, version: RaftWire.version(of: key) ?? 0, sentAt: now,
                purpose: .raft(correlationId: envelope.correlationId, fetchSeq: isFetch ? raftFetchSendSeq : nil))
            var wire = envelope
            wire.correlationId = wireId
            effects.peerRequests.append((envelope.to, RaftWire.frame(wire, clusterId: config.clusterId, timestamp: wallClockMs)))
        } else {
            let key = RaftInboundKey(peer: envelope.to, correlationId: envelope.correlationId)
            guard let reply = raftInbound.removeValue(forKey: key) else { return }
            effects.peerResponses.append((reply, RaftWire.frame(envelope, clusterId: config.clusterId, timestamp: wallClockMs)))
        }
    }

    /// Replays newly committed records into the image the broker serves.
    private mutating func applyCommitted(_ range: Range<Int64>) {
        for batch in raft.log.batches where batch.lastOffset >= range.lowerBound && batch.baseOffset < range.upperBound {
            guard case .records(let records) = batch.content else { continue }
            for (i, record) in records.enumerated() {
                let offset = batch.baseOffset + Int64(i)
                guard range.contains(offset), offset > committedImage.offset else { continue }
                committedImage.replay(record, offset: offset)
            }
        }
        releasePendingReplies()
        releaseForwards()
        if !brokerCaughtUp && raft.highWatermark >= catchUpTarget { brokerCaughtUp = true }
        if brokerCaughtUp { pushImageToBroker() }
    }

    mutating func pushImageToBroker() {
        broker.activeControllerId = raft.leaderId?.rawValue ?? -1
        broker.apply(image: committedImage, now: now, wallClockMs: wallClockMs)
    }
}

/// A node-to-node request in flight, by wire correlation id.
struct Outstanding: Sendable {
    var to: NodeID
    var apiKey: ApiKey
    var version: Int16
    var sentAt: Instant
    var purpose: Purpose

    enum Purpose: Sendable {
        case raft(correlationId: Int32, fetchSeq: Int?)
        case registration
        case heartbeat
        case allocateProducerIds
        case forward(Int)
        case alterPartition([IsrProposal])
        case replicaFetch(leader: NodeID)
    }
}

struct RaftInboundKey: Hashable, Sendable {
    var peer: NodeID
    var correlationId: Int32
}
