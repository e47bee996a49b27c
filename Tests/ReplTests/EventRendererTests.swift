// REPL tests: the sentences `events` and the narration print for leader elections. Goal: an
// election says what ran it (a request, the automatic preferred-leader check, the leaderless
// check) and an unclean one says what was lost, in the words the transcripts show.

import Cluster
import Testing

@testable import Repl

@Suite struct EventRendererTests {
    static let orders0 = TopicPartition("orders", 0)

    @Test("each election trigger reads as what ran it")
    func triggers() {
        #expect(
            EventRenderer.describe(
                .leadersElected(.preferred, trigger: .requested, partitions: [Self.orders0]))
                == "ran a PREFERRED leader election (ElectLeaders) for orders-0")
        #expect(
            EventRenderer.describe(
                .leadersElected(
                    .preferred, trigger: .leaderImbalanceCheck,
                    partitions: [Self.orders0, TopicPartition("orders", 2)]))
                == "ran the automatic PREFERRED leader election (auto.leader.rebalance.enable) for "
                + "orders-0, orders-2: leadership goes back to the preferred replica")
        #expect(
            EventRenderer.describe(
                .leadersElected(
                    .unclean, trigger: .leaderlessPartitionCheck, partitions: [Self.orders0]))
                == "ran an UNCLEAN leader election for leaderless orders-0 (unclean.leader.election.enable=true)"
        )
    }

    @Test("an unclean election says the leader was not in the ISR and what is lost")
    func unclean() {
        let event = ClusterEvent(
            at: .zero, wallClockMs: 0, node: NodeID(1),
            kind: .controller(
                .uncleanLeaderElected(
                    topic: "orders", partition: 0, leader: NodeID(2), formerIsr: [NodeID(1)])))
        #expect(
            EventRenderer.describe(event)
                == "controller 1 elected broker 2 to lead orders-0 although it was not in the ISR [1] "
                + "(unclean leader election): records only the ISR had are lost")
        #expect(EventRenderer.isNotable(event))
    }

    @Test("a leader's catch-up report names the follower and the offset, and stays out of live narration")
    @MainActor func caughtUp() {
        let event = ClusterEvent(
            at: .zero, wallClockMs: 0, node: NodeID(3),
            kind: .replication(.followerCaughtUp(TopicPartition(topic: "orders", partition: 1), follower: NodeID(2), offset: 5120)))
        #expect(
            EventRenderer.describe(event)
                == "broker 2 caught up on orders-1 at offset 5120: leader 3 asks the controller to add it to the ISR")
        #expect(EventRenderer.isNotable(event))
        #expect(!Narration.isRelevant(event, to: NodeID(2)))
    }
}
