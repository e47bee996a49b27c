// Tests of `demo rest-vs-kafka`'s pure parts: how a run cut short is reported, and the
// request/response run's own stop at its time budget (a real loopback socket).

import Cluster
import NIOPosix
import Testing

@testable import Repl

@Suite struct DemoRestVsKafkaTests {
    @Test("a run cut short says what was done, why it stopped, and how long all N would take at its rate")
    @MainActor func cutShort() {
        let text = DemoRestVsKafkaCommand.describe(.seconds(10), done: 250_000, of: 1_000_000, stoppedBy: "the 10 s limit")
        #expect(text == "250,000 in 10.0s (the 10 s limit); all ≈ 40.0s")
        #expect(DemoRestVsKafkaCommand.describe(.milliseconds(32), done: 1_000, of: 1_000, stoppedBy: "x") == "32ms")
        #expect(DemoRestVsKafkaCommand.describe(.seconds(1), done: 0, of: 1_000, stoppedBy: "Ctrl-C") == "0 in 1.0s (Ctrl-C)")
    }

    @Test("the request/response run stops at its budget, short of a count it could not finish in time")
    func budget() async throws {
        let run = try await RequestResponseDemo.run(
            count: RequestResponseDemo.roundTripsMax, budget: .milliseconds(200),
            group: MultiThreadedEventLoopGroup.singleton)
        #expect(run.done > 0)
        #expect(run.done < RequestResponseDemo.roundTripsMax)
        #expect(run.elapsed >= .milliseconds(200))
    }
}
