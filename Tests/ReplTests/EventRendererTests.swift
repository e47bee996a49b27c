// REPL tests: the sentences `events` and the narration print for leader elections. Goal: an
// election says what ran it (a request, the automatic preferred-leader check, the leaderless
// check) and an unclean one says what was lost, in the words the transcripts show.

import Testing

@testable import Cluster
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

    static func refused(_ apiVersion: Int16, clientId: String?) -> RequestTrace {
        RequestTrace(
            apiKey: .produce, apiVersion: apiVersion, correlationId: 1, clientId: clientId, requestBytes: 60,
            responseBytes: 0, errorCode: .unsupportedVersion, versionsServed: 3...10)
    }

    @Test("a request below the versions served names the client, its address, the API and KIP-896")
    @MainActor func oldClientRefused() {
        let event = ClusterEvent(
            at: .zero, wallClockMs: 0, node: NodeID(1),
            kind: .requestRefused(Self.refused(2, clientId: "kafka-go"), peer: "127.0.0.1:53121"))
        #expect(
            EventRenderer.describe(event)
                == "broker 1 closed the connection of client 'kafka-go' at 127.0.0.1:53121: it sent Produce v2, "
                + "and this broker serves Produce v3–v10: Kafka 4 removed the oldest versions of many APIs (KIP-896) "
                + "and closes the connection instead of answering. Upgrade the client library.")
        #expect(EventRenderer.isNotable(event))
        #expect(!Narration.isRelevant(event, to: nil))
    }

    @Test("a request newer than served, from a client without an id, says only ApiVersions is answered")
    func newerThanServed() {
        let event = ClusterEvent(
            at: .zero, wallClockMs: 0, node: NodeID(2),
            kind: .requestRefused(Self.refused(42, clientId: nil), peer: "127.0.0.1:1"))
        #expect(
            EventRenderer.describe(event)
                == "broker 2 closed the connection of a client at 127.0.0.1:1: it sent Produce v42, newer than this "
                + "broker serves (Produce v3–v10). Kafka closes the connection for a version it does not serve; only "
                + "ApiVersions is answered, so clients can ask first.")
    }

    @Test("the trace line of a refused request says the connection closed and which versions are served")
    func traceLine() {
        let event = TraceEvent(
            wallClockMs: 0, node: NodeID(1), peer: "127.0.0.1:53121", trace: Self.refused(2, clientId: "kafka-go"),
            latency: .microseconds(40))
        #expect(
            TraceRenderer.line(event).hasSuffix(
                "  127.0.0.1:53121 (kafka-go) → broker 1  Produce v2  corr 1  60 B → 0 B  40 µs  UNSUPPORTED_VERSION"
                + "  connection closed: Produce is served at v3–v10, KIP-896"))
    }
}
