// Repl room: `demo rest-vs-kafka`: measures N synchronous request/response round trips over
// loopback against N records produced through this cluster, beside the course notes' figures.

import Cluster
import NIOPosix

enum DemoRestVsKafkaCommand: ReplCommand {
    static let spec = CommandSpec(
        ["demo", "rest-vs-kafka"], group: "data", synopsis: "demo rest-vs-kafka [--max N]",
        help: "For N = 1,000, 10,000, 100,000, 1,000,000 and 10,000,000 up to --max (default 100,000), and --max itself: times N strictly sequential request/response round trips over a loopback socket (each caller waits for its answer, like a chain of REST calls; a run stops after 10 s and says how long all N would take at its rate), then N records produced through this cluster (the producer batches and does not wait per record), and prints both beside the course notes' figures. Ctrl-C stops.",
        examples: ["demo rest-vs-kafka", "demo rest-vs-kafka --max 1000000"],
        flags: [FlagSpec("--max", value: .number(1_000...RequestResponseDemo.roundTripsMax), help: "the largest N to run (1000 to 10000000)")])

    /// The course notes' claims for request/response, by N.
    static let notes: [(Int, String)] = [
        (1_000, "≈ 500 ms"), (10_000, "≈ 600 ms"), (100_000, "≈ 900 ms"), (1_000_000, "≈ 5 s"), (10_000_000, "unresponsive"),
    ]
    static let topic = "demo-rest-vs-kafka"
    /// How long one request/response run may take: sequential calls grow linearly, so the
    /// larger steps are measured for this long and the rest is worked out from the rate.
    static let roundTripBudget = Duration.seconds(10)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let maxN = try invocation.int("--max", in: 1_000...RequestResponseDemo.roundTripsMax) ?? 100_000
        let admin = try await session.clients.admin()
        _ = try? await admin.createTopics([NewTopic(name: topic, numPartitions: 3, replicationFactor: 1, configs: [:])])
        var rows: [[String]] = []
        // The notes' sizes up to --max, and --max itself when it is not one of them.
        var sizes = notes
        if !notes.contains(where: { $0.0 == maxN }) {
            sizes.append((maxN, "-"))
            sizes.sort { $0.0 < $1.0 }
        }
        for (n, claim) in sizes {
            guard n <= maxN else {
                rows.append([Numbers.grouped(Int64(n)), "not run", "not run", claim])
                continue
            }
            if Task.isCancelled { break }
            session.out.line("N = \(Numbers.grouped(Int64(n))): \(n) round trips…", .dim)
            let sync: (done: Int, elapsed: Duration)
            do {
                sync = try await RequestResponseDemo.run(count: n, budget: roundTripBudget, group: MultiThreadedEventLoopGroup.singleton)
            } catch {
                throw .failed("The request/response run failed: the loopback socket could not be used. Try again, or a smaller --max.")
            }
            // Ctrl-C during the round trips ends the demo here, with what was measured.
            if Task.isCancelled {
                rows.append([Numbers.grouped(Int64(n)), describe(sync.elapsed, done: sync.done, of: n, stoppedBy: "Ctrl-C"), "not run", claim])
                break
            }
            session.out.line("N = \(Numbers.grouped(Int64(n))): producing \(n) records to \(topic)…", .dim)
            let kafka = try await produce(n, session: session)
            rows.append([Numbers.grouped(Int64(n)), describe(sync.elapsed, done: sync.done, of: n, stoppedBy: "the 10 s limit"),
                         describe(kafka.elapsed, done: kafka.done, of: n, stoppedBy: "Ctrl-C"), claim])
        }
        session.out.lines(Table(headers: ["N", "REQUEST/RESPONSE (measured)", "KAFKA PRODUCE (measured)", "COURSE NOTES (request/response)"], rows: rows).render())
        session.out.line("Each request/response waits a full round trip before the next can start; the producer keeps many records in flight in batches, so each record costs a small fraction of a round trip. Both grow with N; compare the per-record cost.", .note)
        session.out.line("The course notes' larger figures (a million calls in about 5 s) cannot come from calls made one after another: at 0.5 ms each, a million in a row take over 8 minutes. They assume many calls in flight at once, which is what the producer does.", .note)
    }

    /// The time for all `n`, or, for a run cut short, what was done and how long all `n`
    /// would take at the rate measured.
    static func describe(_ d: Duration, done: Int, of n: Int, stoppedBy reason: String) -> String {
        guard done < n else { return formatDuration(d) }
        let prefix = "\(Numbers.grouped(Int64(done))) in \(formatDuration(d)) (\(reason))"
        guard done > 0 else { return prefix }
        let projected = Duration.nanoseconds(Int64(Double(d.nanosecondsClamped) * Double(n) / Double(done)))
        return prefix + "; all ≈ \(formatDuration(projected))"
    }

    static func produce(_ n: Int, session: Session) async throws(ReplError) -> (done: Int, elapsed: Duration) {
        let batch = await session.clients.bulkBatchSize(for: topic)
        let producer = try await session.clients.producer(acks: 1, batchSize: batch.size)
        let value = [UInt8](repeating: 0x62, count: 100)
        let clock = ContinuousClock()
        let start = clock.now
        let (done, failed, firstError) = try await BulkProduce.send(count: n, to: topic, with: producer, value: value, key: { _ in nil })
        if failed > 0 { throw .failed("Producing to \(topic) failed: \(firstError ?? "?")") }
        return (done, clock.now - start)
    }
}
