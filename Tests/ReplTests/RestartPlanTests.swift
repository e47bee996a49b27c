// REPL tests: where `cluster restart` puts a cluster. Goal: a restart never mixes a cluster of
// another size into the starting data directory, and never changes the voters a metadata log
// names. Method: pure values.

import Testing

@testable import Repl

@Suite struct RestartPlanTests {
    static let starting = StartingCluster(dataDirectory: "/home/l/.swiftka-learn/data", brokerCount: 3, voterCount: 3)

    @Test("the starting size goes back to the starting directory, with its data and its voters")
    func startingSize() throws {
        let plan = try RestartPlan(brokers: 3, starting: Self.starting)
        #expect(plan.brokerCount == 3 && plan.dataDirectory == "/home/l/.swiftka-learn/data" && !plan.fresh)
        #expect(plan.isStartingCluster && plan.controllers == nil)
        #expect(try RestartPlan(brokers: 3, controllers: 3, starting: Self.starting) == plan)
    }

    @Test("another size starts empty in a scratch directory beside the starting one")
    func otherSize() throws {
        let plan = try RestartPlan(brokers: 6, starting: Self.starting)
        #expect(plan.brokerCount == 6 && plan.dataDirectory == "/home/l/.swiftka-learn/data-6-brokers" && plan.fresh)
        #expect(!plan.isStartingCluster)
        #expect(try RestartPlan(brokers: 5, controllers: 5, starting: Self.starting).controllers == 5)
        #expect(RestartPlan.scratchDirectory(brokers: 1, beside: "/tmp/x/") == "/tmp/x-1-brokers")
    }

    @Test("voters are among the brokers, and the starting cluster keeps its own")
    func refusals() {
        #expect(throws: ReplError.usage("--controllers takes 1 to 4 (the voters are among the 4 brokers), not 5")) {
            try RestartPlan(brokers: 4, controllers: 5, starting: Self.starting)
        }
        #expect(throws: ReplError.self) { try RestartPlan(brokers: 3, controllers: 1, starting: Self.starting) }
        do {
            _ = try RestartPlan(brokers: 3, controllers: 1, starting: Self.starting)
        } catch {
            #expect(error.message.contains("keeps its 3 voter(s)") && error.message.hasSuffix("cluster restart --brokers 4 --controllers 1"))
        }
    }
}
