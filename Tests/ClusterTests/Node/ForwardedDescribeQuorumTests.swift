// Node tests: a request a follower forwards to the active controller that changes no metadata
// (DescribeQuorum) is answered once the follower has heard the leader's high watermark, not
// when the forward times out. Seeded simulation, virtual time.

import NIOCore
import Testing

@testable import Cluster

@Suite struct ForwardedDescribeQuorumTests {
    @Test("a follower answers a forwarded DescribeQuorum before the forward expires", arguments: 1...10)
    func followerAnswers(seed: UInt64) throws {
        var sim = ClusterSimulation(seed: seed, options: .init())
        #expect(sim.run(until: .seconds(10)) { ClusterSimulationRun.agreed($0) }, "seed \(seed): no agreement at start")
        let controller = try #require(sim.activeController)
        let follower = try #require(sim.ids.first { $0 != controller })
        let connection = ConnectionID(7)
        let frame = RequestFraming.requestFrame(DescribeQuorumRequest(), version: 2, correlationId: 1, clientId: "sim-admin")
        var replies = sim.clientRequest(frame, to: follower, connection: connection).map { [$0] } ?? []
        // Half the forward timeout: an answer released only by the timeout would come later.
        let bound = try #require(sim.configs[follower]).forwardTimeout / 2
        _ = sim.run(until: bound) { s in
            !s.clientReplies.filter { $0.node == follower && $0.connection == connection }.isEmpty
        }
        replies += sim.takeClientReplies(node: follower, connection: connection)
        let answer = try #require(replies.first, "seed \(seed): \(follower) did not answer the forwarded DescribeQuorum")
        var reader = WireReader(answer)
        _ = try reader.readInt32("size")
        _ = try reader.readInt32("correlation_id")
        try reader.readTaggedFields("response_header")
        let response = try DescribeQuorumResponse(from: &reader, version: 2)
        #expect(response.errorCode == .none)
        #expect(response.topics.first?.partitions.first?.leaderId == controller.rawValue)
    }
}
