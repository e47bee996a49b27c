// Controller tests: BrokerRegistration. Goal: the broker epoch is the offset the registration
// lands at, brokers start fenced, a retry by the same process changes nothing, another process
// is refused while the old session lives and accepted once it has run out. Method: a harness
// that appends and replays each result, with virtual time.

import Testing

@testable import Cluster

@Suite struct QuorumControllerRegistrationTests {
    @Test("a new broker's epoch is the offset of its RegisterBrokerRecord, and it starts fenced")
    func newBroker() throws {
        var h = ControllerHarness()
        let offset = h.nextOffset
        let result = h.controller.handleBrokerRegistration(
            ControllerHarness.registration(NodeID(1)), nextOffset: offset, now: h.now)
        #expect(result.response == BrokerRegistrationResponse(brokerEpoch: offset))
        #expect(result.events == [.brokerRegistered(NodeID(1), brokerEpoch: offset)])
        guard case .registerBroker(let record)? = result.records.first, result.records.count == 1
        else {
            Issue.record("expected one RegisterBrokerRecord, got \(result.records)")
            return
        }
        #expect(record.brokerEpoch == offset && record.fenced && !record.inControlledShutdown)
        #expect(
            record.endPoints == [
                BrokerEndpoint(
                    name: "PLAINTEXT", host: "localhost", port: 9093, securityProtocol: 0)
            ])
        #expect(record.features.map(\.name) == [FeatureLevelRecord.metadataVersionFeature])
        h.apply(result)
        let broker = try #require(h.image.brokers[NodeID(1)])
        #expect(broker.epoch == offset && broker.fenced)
        #expect(h.controller.registrationOffsets[NodeID(1)] == offset)
    }

    @Test("a retry with the same incarnation id gets the same epoch and writes nothing")
    func retry() {
        var h = ControllerHarness(brokers: 1)
        let epoch = h.epochs[NodeID(1)]
        h.now = h.now + .milliseconds(100)
        let result = h.controller.handleBrokerRegistration(
            ControllerHarness.registration(NodeID(1)), nextOffset: h.nextOffset, now: h.now)
        #expect(result.records.isEmpty && result.events.isEmpty)
        #expect(result.response == BrokerRegistrationResponse(brokerEpoch: epoch ?? -2))
    }

    @Test("another incarnation while the old session lives is a DUPLICATE_BROKER_REGISTRATION")
    func duplicateWhileLive() {
        var h = ControllerHarness(brokers: 1)
        h.now = h.now + .milliseconds(1_499)
        let result = h.controller.handleBrokerRegistration(
            ControllerHarness.registration(
                NodeID(1), incarnation: ControllerHarness.incarnation(NodeID(1), 2)),
            nextOffset: h.nextOffset, now: h.now)
        #expect(result.response.errorCode == .duplicateBrokerRegistration)
        #expect(result.response.errorCode.rawValue == 101)
        #expect(result.records.isEmpty)
        #expect(
            result.events == [.brokerRegistrationRefused(NodeID(1), .duplicateBrokerRegistration)])
    }

    @Test("once the old session has run out, a new incarnation gets a new epoch and starts fenced")
    func acceptedAfterExpiry() throws {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("orders")
        let old = try #require(h.epochs[NodeID(1)])
        h.now = h.now + .milliseconds(1_500)
        let offset = h.nextOffset
        let result = h.controller.handleBrokerRegistration(
            ControllerHarness.registration(
                NodeID(1), incarnation: ControllerHarness.incarnation(NodeID(1), 2)),
            nextOffset: offset, now: h.now)
        #expect(result.response == BrokerRegistrationResponse(brokerEpoch: offset))
        #expect(offset > old)
        // The old incarnation led orders-0: it lets go first, then the new one registers.
        #expect(result.records.count == 2)
        #expect(result.records.first?.partitionChange?.leader == PartitionChangeRecord.noLeader)
        h.apply(result)
        let broker = try #require(h.image.brokers[NodeID(1)])
        #expect(broker.epoch == offset && broker.fenced)
        #expect(h.image.partition("orders", 0)?.leader == nil)
        #expect(h.controller.registrationOffsets[NodeID(1)] == offset + 1)
        // Caught up only once it has replayed its registration record, not the batch's start.
        h.epochs[NodeID(1)] = offset
        #expect(h.heartbeat(NodeID(1), offset: offset).isFenced)
        let back = h.heartbeat(NodeID(1))
        #expect(!back.isFenced && h.image.partition("orders", 0)?.leader == NodeID(1))
    }

    @Test(
        "a broker that cannot run the finalized metadata.version is refused with UNSUPPORTED_VERSION"
    )
    func unsupportedMetadataVersion() {
        var h = ControllerHarness()
        var request = ControllerHarness.registration(NodeID(1))
        request.features = []  // taken to support only 3.3-IV3 (level 7); the cluster runs 25
        let result = h.controller.handleBrokerRegistration(
            request, nextOffset: h.nextOffset, now: h.now)
        #expect(result.response.errorCode == .unsupportedVersion && result.records.isEmpty)
        request.features = [
            .init(name: "metadata.version", minSupportedVersion: 26, maxSupportedVersion: 30)
        ]
        #expect(
            h.controller.handleBrokerRegistration(request, nextOffset: h.nextOffset, now: h.now)
                .response.errorCode == .unsupportedVersion)
    }

    @Test("a cluster id that is not ours is INCONSISTENT_CLUSTER_ID")
    func clusterId() {
        var h = ControllerHarness(config: QuorumControllerConfig(clusterId: "abc"))
        var request = ControllerHarness.registration(NodeID(1))
        request.clusterId = "xyz"
        #expect(
            h.controller.handleBrokerRegistration(request, nextOffset: h.nextOffset, now: h.now)
                .response.errorCode == .inconsistentClusterId)
        request.clusterId = "abc"
        #expect(
            h.controller.handleBrokerRegistration(request, nextOffset: h.nextOffset, now: h.now)
                .response.errorCode == .none)
    }

    @Test("a standby controller answers NOT_CONTROLLER to everything and has no deadline")
    func standby() {
        var controller = QuorumController(seed: 1)
        #expect(!controller.isActive)
        let registration = controller.handleBrokerRegistration(
            ControllerHarness.registration(NodeID(1)), nextOffset: 0, now: .zero)
        #expect(registration.response.errorCode == .notController && registration.records.isEmpty)
        #expect(
            controller.handleBrokerHeartbeat(BrokerHeartbeatRequest(brokerId: 1), now: .zero)
                .response.errorCode == .notController)
        #expect(
            controller.handleCreateTopics(CreateTopicsRequest(topics: [.init(name: "a")]))
                .response.topics.map(\.errorCode) == [.notController])
        #expect(
            controller.handleAllocateProducerIds(AllocateProducerIdsRequest(brokerId: 1))
                .response.errorCode == .notController)
        #expect(controller.nextDeadline == Instant(nanoseconds: .max))
        controller.activate(now: .zero)
        controller.deactivate()
        #expect(
            controller.handleDeleteTopics(DeleteTopicsRequest(topics: [.init(name: "a")]))
                .response.responses.map(\.errorCode) == [.notController])
    }
}
