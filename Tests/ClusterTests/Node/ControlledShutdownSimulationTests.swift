// Node tests: a clean stop of the active controller, the case Kafka's combined mode orders
// with care: record the broker's own controlled shutdown first, hand the quorum over after.

import Testing

@testable import Cluster

@Suite struct ControlledShutdownSimulationTests {
    static func fencedForShutdown(_ id: NodeID, in sim: ClusterSimulation) -> Bool {
        sim.events.contains {
            if case .controller(.brokerFenced(id, reason: .controlledShutdown)) = $0.kind { return true }
            return false
        }
    }

    @Test("the stopping controller records its own shutdown even when only one other voter runs", arguments: 1...20)
    func controllerStopsWithOneOtherVoter(seed: UInt64) async {
        // The bodies are static functions: as closures, Swift 6.3.1's SendNonSendable pass
        // crashes on them.
        await offCooperativePool { Self.controllerStopsWithOneOtherVoter(seed: seed) }
    }

    static func controllerStopsWithOneOtherVoter(seed: UInt64) {
        var sim = ClusterSimulation(seed: seed, options: .init())
        #expect(sim.run(until: .seconds(10)) { ClusterSimulationRun.agreed($0) }, "seed \(seed): no agreement at start")
        guard let controller = sim.activeController else { return }
        let follower = sim.ids.first { $0 != controller }!
        let survivor = sim.ids.last { $0 != controller && $0 != follower }!
        sim.kill(follower)
        sim.stop(controller)
        sim.awaitStops()
        let ended = sim.nodes[controller] == nil
        #expect(ended, "seed \(seed): the stop never ended")
        let recorded = Self.fencedForShutdown(controller, in: sim)
        #expect(recorded, "seed \(seed): \(controller)'s shutdown was not committed\n\(sim.trace.suffix(30).joined(separator: "\n"))")
        // Once a second voter returns, the survivor's quorum carries the fence on.
        sim.start(follower)
        let agreed = sim.run(until: .seconds(10)) { s in
            guard let active = s.activeController, let image = s.nodes[active]?.committedImage else { return false }
            return image.brokers[controller]?.fenced == true && image.brokers[follower]?.fenced == false
                && image.brokers[survivor]?.fenced == false
        }
        #expect(agreed, "seed \(seed): after the restart the image should show \(controller) fenced, the others not")
    }

    @Test("a stopped controller's successor is elected without it", arguments: 1...20)
    func successorElected(seed: UInt64) async {
        await offCooperativePool { Self.successorElected(seed: seed) }
    }

    static func successorElected(seed: UInt64) {
        var sim = ClusterSimulation(seed: seed, options: .init())
        #expect(sim.run(until: .seconds(10)) { ClusterSimulationRun.agreed($0) })
        guard let controller = sim.activeController else { return }
        sim.stop(controller)
        sim.awaitStops()
        let recorded = Self.fencedForShutdown(controller, in: sim)
        #expect(recorded, "seed \(seed): \(controller)'s shutdown was not committed")
        let moved = sim.run(until: .seconds(10)) { s in s.activeController.map { $0 != controller } ?? false }
        #expect(moved, "seed \(seed): no new controller after the clean stop")
    }
}
