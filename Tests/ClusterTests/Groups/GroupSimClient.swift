// Groups simulation: one simulated consumer, reduced to what the group protocol needs: its
// member id and generation, whether it must rejoin or sync, its one request in flight.

import NIOCore

@testable import Cluster

/// A consumer process as the simulation drives it (Kafka's `ConsumerCoordinator`, in miniature).
struct GroupSimClient {
    let index: Int
    let groupId: String
    let clientId: String
    let connection: ConnectionID
    let instanceId: String?
    let topics: [String]
    let protocols: [String]
    let joinVersion: Int16
    let sessionMs: Int32

    var alive = true
    /// Outside the group on purpose (after LeaveGroup) until it decides to come back.
    var outside = true
    var memberId = ""
    var generation: Int32 = -1
    var needsRejoin = true
    /// The JoinGroup answer it still has to follow with SyncGroup.
    var joined: JoinGroupResponse?
    var stable = false
    var assigned: [Assignors.TopicPartition] = []
    var inFlight: (id: RequestID, kind: ApiKey, sentAt: Instant)?
    var nextOffset: Int64 = 0

    init(index: Int, groupId: String, rng: inout SplitMix64) {
        self.index = index
        self.groupId = groupId
        clientId = "consumer-\(index)"
        connection = ConnectionID(index + 1)
        instanceId = rng.next() % 2 == 0 ? "pod-\(index)" : nil
        topics = rng.next() % 2 == 0 ? ["orders"] : ["orders", "payments"]
        protocols = rng.next() % 3 == 0 ? ["roundrobin", "range"] : ["range", "roundrobin"]
        let versions: [Int16] = [3, 4, 5, 7, 9]
        joinVersion = versions[Int(rng.next() % UInt64(versions.count))]
        sessionMs = Int32(6_000 + rng.next() % 5_000)
    }

    /// A new process of the same consumer: a static member keeps its instance id, nothing else.
    mutating func restartProcess() {
        alive = true
        outside = false
        memberId = ""
        generation = -1
        needsRejoin = true
        joined = nil
        stable = false
        inFlight = nil
    }

    /// The connection dropped (coordinator restart): a parked request will never be answered.
    mutating func connectionLost() {
        guard let request = inFlight else { return }
        inFlight = nil
        if request.kind == .joinGroup || request.kind == .syncGroup {
            joined = nil
            needsRejoin = true
        }
    }

    mutating func mustRejoin(resetMemberId: Bool = false) {
        if resetMemberId {
            memberId = ""
            generation = -1
        }
        needsRejoin = true
        joined = nil
        stable = false
        assigned = []
    }
}
