// Repl room: `demo rest-vs-kafka`: measures N synchronous request/response round trips over
// loopback against N records produced through this cluster, beside the course notes' figures.

import Cluster
import NIOPosix

enum DemoRestVsKafkaCommand: ReplCommand {
    static let spec = CommandSpec(
        ["demo", "rest-vs-kafka"], group: "data", synopsis: "demo rest-vs-kafka [--max N]",
        help: "For N = 1,000, 10,000, 100,000 and 1,000,000 up to --max (default 100,000), and --max itself: times N strictly sequential request/response round trips over a loopback socket (each caller waits for its answer, like a chain of REST calls), then N records produced through this cluster (the producer batches and does not wait per record), and prints both beside the course notes' figures. Ctrl-C stops.",
        examples: ["demo rest-vs-kafka", "demo rest-vs-kafka --max 1000000"],
        flags: [FlagSpec("--max", value: .number(1_000...RequestResponseDemo.roundTripsMax), help: "the largest N to run (1000 to 1000000)")])

    /// The course notes' claims for request/response, by N.
    static let notes: [(Int, String)] = [
        (1_000, "≈ 500 ms"), (10_000, "≈ 600 ms"), (100_000, "≈ 900 ms"), (1_000_000, "≈ 5 s"), (10_000_000, "unresponsive"),
    ]
    static let topic = "demo-rest-vs-kafka"

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
                sync = try await RequestResponseDemo.run(count: n, group: MultiThreadedEventLoopGroup.singleton)
            } catch {
                throw .failed("The request/response run failed: the loopback socket could not be used. Try again, or a smaller --max.")
            }
            // Ctrl-C during the round trips ends the demo here, with what was measured.
            if Task.isCancelled {
                rows.append([Numbers.grouped(Int64(n)), describe(sync.elapsed, done: sync.done, of: n), "not run", claim])
                break
            }
            session.out.line("N = \(Numbers.grouped(Int64(n))): producing \(n) records to \(topic)…", .dim)
            let kafka = try await produce(n, session: session)
            rows.append([Numbers.grouped(Int64(n)), describe(sync.elapsed, done: sync.done, of: n),
                         describe(kafka.elapsed, done: kafka.done, of: n), claim])
        }
        session.out.lines(Table(headers: ["N", "REQUEST/RESPONSE (measured)", "KAFKA PRODUCE (measured)", "COURSE NOTES (request/response)"], rows: rows).render())
        session.out.line("Each request/response waits a full round trip before the next can start; the producer keeps many records in flight in batches, so each record costs a small fraction of a round trip. Both grow with N; compare the per-record cost.", .note)
        session.out.line("The course notes' larger figures (a million calls in about 5 s) cannot come from calls made one after another: at 0.5 ms each, a million in a row take over 8 minutes. They assume many calls in flight at once, which is what the producer does.", .note)
    }

    static func describe(_ d: Duration, done: Int, of n: Int) -> String {
        done < n ? "stopped at \(Numbers.grouped(Int64(done)))" : formatDuration(d)
    }

    static func produce(_ n: Int, session: Session) async throws(ReplError) -> (done: Int, elapsed: Duration) {
        let producer = try await session.clients.producer(acks: 1)
        let value = [UInt8](repeating: 0x62, count: 100)
        let clock = ContinuousClock()
        let start = clock.now
        let (done, failed, firstError) = try await BulkProduce.send(count: n, to: topic, with: producer, value: value, key: { _ in nil })
        if failed > 0 { throw .failed("Producing to \(topic) failed: \(firstError ?? "?")") }
        return (done, clock.now - start)
    }
}
