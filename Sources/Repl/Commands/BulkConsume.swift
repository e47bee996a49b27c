// Repl room: `consume --count`, the reading half of the REPL's throughput demo: many
// records read without printing them, a progress bar, and the rate at the end.

import Cluster

/// `consume TOPIC --count N`: reads up to N records from the consumer's positions, printing
/// none, and reports records/s and MB/s (the bytes of keys and values, as
/// kafka-consumer-perf-test.sh counts them). The time runs from the first poll to the last
/// record, so the idle wait that ends the read is not counted.
@MainActor
enum BulkConsume {
    static let countMax = 10_000_000

    static func run(_ invocation: Invocation, topic: String, consumer: Consumer, idle: Duration, session: Session)
        async throws(ReplError)
    {
        guard let count = try invocation.int("--count", in: 1...countMax) else { return }
        let bar = ProgressBar(total: count, out: session.out, enabled: !session.scriptMode)
        let clock = ContinuousClock()
        let start = clock.now
        var last = start
        var read = 0
        var bytes = 0
        var ranges: [TopicPartition: ClosedRange<Int64>] = [:]
        defer { session.noteRead(ranges) }
        do {
            while read < count && !Task.isCancelled {
                let records = try await consumer.poll(timeout: .milliseconds(250), maxRecords: min(count - read, 50_000))
                if records.isEmpty {
                    if clock.now - last >= idle { break }
                    continue
                }
                last = clock.now
                for r in records {
                    bytes += (r.key?.count ?? 0) + (r.value?.count ?? 0)
                    let tp = r.topicPartition
                    ranges[tp] = ranges[tp].map { min($0.lowerBound, r.offset)...max($0.upperBound, r.offset) } ?? r.offset...r.offset
                }
                read += records.count
                bar.update(read)
            }
        } catch {
            bar.finish()
            await consumer.close()
            throw describeClientError(error, doing: "Reading \(topic) failed after \(read) records")
        }
        bar.finish()
        await consumer.close()
        for (tp, range) in ranges { session.consumed[tp] = max(session.consumed[tp] ?? -1, range.upperBound) }
        let elapsed = last - start
        let seconds = max(Double(elapsed.nanosecondsClamped) / 1e9, 1e-9)
        let rate = read == 0 ? 0 : Double(read) / seconds
        session.out.line("Read \(Numbers.grouped(Int64(read))) records (\(Numbers.oneDecimal(Double(bytes) / 1_000_000)) MB) from \(topic) in \(formatDuration(elapsed)): "
                         + "\(Numbers.grouped(Int64(rate))) records/s, \(Numbers.oneDecimal(Double(bytes) / seconds / 1_000_000)) MB/s.")
        if Task.isCancelled {
            session.out.line("Interrupted after \(Numbers.grouped(Int64(read))) of \(Numbers.grouped(Int64(count))) records (Ctrl-C).", .note)
        } else if read < count {
            session.out.line("Only \(Numbers.grouped(Int64(read))) of \(Numbers.grouped(Int64(count))) records arrived before \(idle.milliseconds) ms passed without one: the partitions hold no more from where this read started.", .note)
        }
    }
}
