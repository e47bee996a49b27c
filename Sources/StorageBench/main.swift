// StorageBench: the storage room against the raw disk. Sequential write and read throughput
// through PartitionLog next to plain POSIX write/pread of the same bytes, and the start-up
// time of a node's partitions after a clean and an unclean shutdown. Not part of the tests.
//
//   swift run -c release StorageBench [--mb 256] [--batch-kb 16] [--partitions 500] [--dir D]

import Cluster
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Options

struct Options {
    var megabytes = 256
    var batchKilobytes = 16
    var recordBytes = 100
    var partitions = 500
    var partitionKilobytes = 128
    var directory: String?
    var rounds = 5
    /// `index.interval.bytes` of the throughput log (Kafka's default 4096).
    var indexIntervalBytes = 4096
    /// Which parts run: `all`, `throughput` (write and read) or `startup`.
    var phase = "all"
    var keep = false

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var rest = arguments[...]
        func number(_ flag: String) -> Int {
            guard let text = rest.popFirst(), let value = Int(text), value > 0 else {
                fail("\(flag) needs a positive number")
            }
            return value
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--mb": options.megabytes = number(flag)
            case "--batch-kb": options.batchKilobytes = number(flag)
            case "--record-bytes": options.recordBytes = number(flag)
            case "--partitions": options.partitions = number(flag)
            case "--partition-kb": options.partitionKilobytes = number(flag)
            case "--rounds": options.rounds = number(flag)
            case "--index-interval": options.indexIntervalBytes = number(flag)
            case "--phase":
                guard let phase = rest.popFirst(), ["all", "throughput", "startup"].contains(phase)
                else { fail("--phase needs all, throughput or startup") }
                options.phase = phase
            case "--dir":
                guard let path = rest.popFirst() else { fail("--dir needs a path") }
                options.directory = path
            case "--keep": options.keep = true
            default:
                fail(
                    "unknown option \(flag). Options: --mb N --batch-kb N --record-bytes N "
                        + "--partitions N --partition-kb N --rounds N --index-interval N "
                        + "--phase all|throughput|startup "
                        + "--dir DIR --keep")
            }
        }
        return options
    }
}

func fail(_ message: String) -> Never {
    print("StorageBench: \(message)")
    exit(2)
}

// MARK: - Helpers

let clock = ContinuousClock()

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func megabytesPerSecond(_ bytes: Int, _ duration: Duration) -> Double {
    Double(bytes) / 1_048_576 / max(seconds(duration), 1e-9)
}

/// Wall-clock time of a run, and the CPU time (user and system) its thread used: other
/// processes on the machine stretch the first, much less the second.
struct Timing {
    var wall: Duration
    var cpuSeconds: Double

    func megabytesPerSecond(_ bytes: Int) -> Double {
        Double(bytes) / 1_048_576 / max(seconds(wall), 1e-9)
    }

    func megabytesPerCPUSecond(_ bytes: Int) -> Double {
        Double(bytes) / 1_048_576 / max(cpuSeconds, 1e-9)
    }
}

func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func timed(_ body: () -> Void) -> Timing {
    let cpuStart = threadCPUSeconds()
    let wall = clock.measure(body)
    return Timing(wall: wall, cpuSeconds: threadCPUSeconds() - cpuStart)
}

func format(_ value: Double, _ digits: Int = 1) -> String {
    if digits == 0 { return String(Int(value.rounded())) }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}

func line(_ label: String, _ value: String) {
    let padding = String(repeating: " ", count: max(0, 44 - label.count))
    print("  \(label)\(padding)\(value)")
}

func must<T>(_ what: String, _ body: () throws -> T) -> T {
    do { return try body() } catch { fail("\(what): \(error)") }
}

/// A temporary directory on the disk the logs would use (`$TMPDIR`, else /tmp).
func makeTemporaryDirectory() -> String {
    let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    var template = Array("\(base ?? "/tmp")/storagebench-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { fail("cannot create a temporary directory") }
    return String(cString: made)
}

func removeTree(_ path: String) {
    guard let directory = opendir(path) else {
        _ = unlink(path)
        return
    }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
            tuple.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
    }
    closedir(directory)
    for name in names {
        let child = path + "/" + name
        var info = stat()
        if lstat(child, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            removeTree(child)
        } else {
            _ = unlink(child)
        }
    }
    _ = rmdir(path)
}

/// Record batches as a producer sends them: `recordBytes`-byte values with 10-byte keys,
/// filled up to `batchBytes`. A few different ones, so the log is not one repeated batch.
func makeBatches(batchBytes: Int, recordBytes: Int, count: Int) -> [ByteBuffer] {
    var generator = SplitMix64(seed: 42)
    return (0..<count).map { n in
        var builder = RecordBatchBuilder(batchBytesMax: batchBytes)
        var index = 0
        while true {
            let key = Array(String(100_000_000 + n * 1_000_000 + index).utf8)
            let value = (0..<recordBytes).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let entry = RecordBatchBuilder.Entry(
                key: key, value: value, timestamp: 1_700_000_000_000 + Int64(index))
            do { try builder.append(entry) } catch { break }
            index += 1
        }
        return must("building a batch") { try builder.build() }
    }
}

// MARK: - Raw POSIX baselines

func rawWrite(path: String, chunks: [ByteBuffer], totalBytes: Int) -> Timing {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else { fail("open \(path): errno \(errno)") }
    var written = 0
    var n = 0
    let elapsed = timed {
        while written < totalBytes {
            chunks[n % chunks.count].withUnsafeReadableBytes { raw in
                guard let base = raw.baseAddress else { fail("an empty chunk") }
                var done = 0
                while done < raw.count {
                    let result = write(fd, base + done, raw.count - done)
                    guard result > 0 else { fail("write: errno \(errno)") }
                    done += result
                }
                written += raw.count
            }
            n += 1
        }
    }
    close(fd)
    return elapsed
}

/// Sequential `pread`s of `chunkBytes` into one reused buffer.
func rawRead(path: String, chunkBytes: Int) -> (bytes: Int, elapsed: Timing) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { fail("open \(path): errno \(errno)") }
    defer { close(fd) }
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkBytes, alignment: 64)
    defer { buffer.deallocate() }
    var total = 0
    let elapsed = timed {
        while true {
            let n = pread(fd, buffer, chunkBytes, off_t(total))
            guard n >= 0 else { fail("pread: errno \(errno)") }
            if n == 0 { break }
            total += n
        }
    }
    return (total, elapsed)
}

// MARK: - Through PartitionLog

let fs = PosixFileSystem()
let topicId = Uuid(mostSignificantBits: 0x5354_4f52_4147_4542, leastSignificantBits: 0x454e_4348)

func openLog(_ directory: String, config: LogConfig = .default, recoveryPoint: Int64?)
    -> (PartitionLog, RecoveryReport)
{
    must("opening \(directory)") {
        try PartitionLog.open(
            directory: directory, topicId: topicId, config: config, fs: fs,
            recoveryPoint: recoveryPoint, now: .zero, wallClockMs: 1_700_000_000_000)
    }
}

func logAppend(_ log: inout PartitionLog, batches: [ByteBuffer], totalBytes: Int) -> Timing {
    var written = 0
    var n = 0
    return timed {
        while written < totalBytes {
            let batch = batches[n % batches.count]
            _ = must("append") {
                try log.append(batch, leaderEpoch: 0, wallClockMs: 1_700_000_000_000)
            }
            written += batch.readableBytes
            n += 1
        }
    }
}

/// Appends `totalBytes` on a disk that keeps only sizes (the log's own CPU work), to a log held
/// in a local variable or as `Broker+Produce` does today: copied out of the broker's
/// dictionary, appended to and stored back. The dictionary's copy shares the index arrays,
/// so the first index entry of every append copies them whole.
func memoryAppend(batches: [ByteBuffer], totalBytes: Int, copyOut: Bool) -> Duration {
    let memory = NullFileSystem()
    let tp = TopicPartition(topic: "bench", partition: 0)
    var logs: [TopicPartition: PartitionLog] = [:]
    logs[tp] = must("opening") {
        try PartitionLog.open(
            directory: "/bench/bench-0", topicId: topicId, config: .default, fs: memory,
            recoveryPoint: nil, now: .zero, wallClockMs: 1_700_000_000_000
        ).0
    }
    var written = 0
    var n = 0
    let elapsed = clock.measure {
        if copyOut {
            while written < totalBytes {
                let batch = batches[n % batches.count]
                guard var log = logs[tp] else { fail("no log") }
                _ = must("append") {
                    try log.append(batch, leaderEpoch: 0, wallClockMs: 1_700_000_000_000)
                }
                logs[tp] = log
                written += batch.readableBytes
                n += 1
            }
        } else {
            guard var log = logs.removeValue(forKey: tp) else { fail("no log") }
            while written < totalBytes {
                let batch = batches[n % batches.count]
                _ = must("append") {
                    try log.append(batch, leaderEpoch: 0, wallClockMs: 1_700_000_000_000)
                }
                written += batch.readableBytes
                n += 1
            }
            logs[tp] = log
        }
    }
    return elapsed
}

func logRead(_ log: PartitionLog, maxBytes: Int) -> (bytes: Int, records: Int64, Timing) {
    var bytes = 0
    var offset = log.logStartOffset
    let end = log.logEndOffset
    let elapsed = timed {
        while offset < end {
            let data = must("read") { try log.read(from: offset, maxBytes: maxBytes, upTo: end) }
            guard data.nextFetchOffset > offset else { fail("read made no progress at \(offset)") }
            bytes += data.records.readableBytes
            offset = data.nextFetchOffset
        }
    }
    return (bytes, offset - log.logStartOffset, elapsed)
}

// MARK: - The runs

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let root = options.directory ?? makeTemporaryDirectory()
must("creating \(root)") { try fs.makeDirectory(root) }
let totalBytes = options.megabytes * 1_048_576
let batchBytes = options.batchKilobytes * 1024
let chunkBytes = 1_048_576

print("StorageBench (release build expected)")
let arguments = CommandLine.arguments.dropFirst().joined(separator: " ")
print("  command: swift run -c release StorageBench \(arguments)".replacingTrailingSpace())
print("  directory: \(root)  (page cache warm; writes are not fsynced, like Kafka's appends)")

let batches = makeBatches(
    batchBytes: batchBytes, recordBytes: options.recordBytes, count: 16)
let recordsPerBatch = must("reading a batch header") { () throws -> Int in
    guard let header = RecordBatchHeader(batches[0], at: batches[0].readerIndex) else {
        throw StorageError.malformedFile(path: "batch", reason: "no header")
    }
    return Int(header.recordsCount)
}
print(
    "  data: \(options.megabytes) MiB in \(batches[0].readableBytes)-byte batches of "
        + "\(recordsPerBatch) records (\(options.recordBytes)-byte values, 10-byte keys)")

/// About 1 MiB of the same batches back to back, for the raw 1 MiB-call baseline.
func makeChunk() -> ByteBuffer {
    var chunk = ByteBufferAllocator().buffer(capacity: chunkBytes + batchBytes)
    var n = 0
    while chunk.readableBytes + batches[n % batches.count].readableBytes <= chunkBytes {
        var batch = batches[n % batches.count]
        chunk.writeBuffer(&batch)
        n += 1
    }
    return chunk
}
let megabyteChunk = makeChunk()

/// One round: raw writes and appends of the same bytes (order alternating by round, with
/// `sync()` before each so no write-back of an earlier phase competes), then the reads.
struct Round {
    /// MB per wall-clock second.
    var rawBatch = 0.0, rawChunk = 0.0, append = 0.0, rawRead = 0.0, logRead = 0.0
    /// MB per second of this thread's CPU time.
    var rawBatchCPU = 0.0, appendCPU = 0.0, rawReadCPU = 0.0, logReadCPU = 0.0
    var batchesPerSecond = 0.0
}

func runRound(_ number: Int) -> Round {
    var round = Round()
    let rawPath = root + "/raw-\(number).bin"
    let chunkPath = root + "/raw-chunks-\(number).bin"
    let logDirectory = root + "/bench-\(number)"
    var config = LogConfig.default
    config.indexIntervalBytes = options.indexIntervalBytes
    var (log, _) = openLog(logDirectory, config: config, recoveryPoint: nil)
    func measureRaw() {
        sync()
        let timing = rawWrite(path: rawPath, chunks: batches, totalBytes: totalBytes)
        round.rawBatch = timing.megabytesPerSecond(totalBytes)
        round.rawBatchCPU = timing.megabytesPerCPUSecond(totalBytes)
    }
    func measureAppend() {
        sync()
        let timing = logAppend(&log, batches: batches, totalBytes: totalBytes)
        round.append = timing.megabytesPerSecond(totalBytes)
        round.appendCPU = timing.megabytesPerCPUSecond(totalBytes)
        round.batchesPerSecond =
            Double(Int(log.logEndOffset) / max(recordsPerBatch, 1)) / seconds(timing.wall)
    }
    if number % 2 == 0 {
        measureRaw()
        measureAppend()
    } else {
        measureAppend()
        measureRaw()
    }
    sync()
    round.rawChunk = rawWrite(path: chunkPath, chunks: [megabyteChunk], totalBytes: totalBytes)
        .megabytesPerSecond(totalBytes)

    let raw = rawRead(path: rawPath, chunkBytes: chunkBytes)
    round.rawRead = raw.elapsed.megabytesPerSecond(raw.bytes)
    round.rawReadCPU = raw.elapsed.megabytesPerCPUSecond(raw.bytes)
    let (readBytes, readRecords, readTime) = logRead(log, maxBytes: chunkBytes)
    guard readRecords == log.logEndOffset, readBytes == log.sizeInBytes else {
        fail(
            "read back \(readRecords) records, \(readBytes) bytes of \(log.logEndOffset), "
                + "\(log.sizeInBytes)")
    }
    round.logRead = readTime.megabytesPerSecond(readBytes)
    round.logReadCPU = readTime.megabytesPerCPUSecond(readBytes)
    must("close") { try log.close() }
    _ = unlink(rawPath)
    _ = unlink(chunkPath)
    removeTree(logDirectory)
    sync()
    return round
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

func runThroughput() {
    let rounds = (0..<options.rounds).map(runRound)
    // The best round is the figure: other processes on the machine only ever slow a round.
    func figure(_ label: String, _ path: KeyPath<Round, Double>) -> Double {
        let values = rounds.map { $0[keyPath: path] }
        let shown = values.map { format($0, 0) }.joined(separator: ", ")
        let best = format(values.max() ?? 0)
        line(label, "\(best) MB/s  (median \(format(median(values), 0)); rounds: \(shown))")
        return values.max() ?? 0
    }
    print("")
    print("Write (best of \(options.rounds) rounds)")
    let rawBatchRate = figure("raw write(2), one call per batch", \.rawBatch)
    let rawChunkRate = figure("raw write(2), ~1 MiB calls", \.rawChunk)
    let appendRate = figure("PartitionLog.append, one batch per call", \.append)
    let batchRate = rounds.map(\.batchesPerSecond).max() ?? 0
    line("  batches appended per second", "\(format(batchRate / 1000)) k")
    let medianRatio = median(rounds.map(\.append)) / max(median(rounds.map(\.rawBatch)), 1e-9)
    line(
        "  ratio to raw, per batch (target >= 0.8)",
        "\(format(appendRate / rawBatchRate, 2))  (of medians: \(format(medianRatio, 2)))")
    line("  ratio to raw, 1 MiB calls", format(appendRate / rawChunkRate, 2))
    let cpuRatio =
        (rounds.map(\.appendCPU).max() ?? 0) / max(rounds.map(\.rawBatchCPU).max() ?? 0, 1e-9)
    line("  ratio to raw per batch, by CPU time", format(cpuRatio, 2))
    let plainTime = memoryAppend(batches: batches, totalBytes: totalBytes, copyOut: false)
    let copyOutTime = memoryAppend(batches: batches, totalBytes: totalBytes, copyOut: true)
    line(
        "no disk (sizes only): append, local log",
        "\(format(megabytesPerSecond(totalBytes, plainTime))) MB/s  (one round, CPU only)")
    line(
        "no disk: log copied out of a dictionary",
        "\(format(megabytesPerSecond(totalBytes, copyOutTime))) MB/s  "
            + "(Broker+Produce's pattern today)")

    print("")
    print("Read (1 MiB at a time, from the page cache; best of \(options.rounds) rounds)")
    let rawReadRate = figure("raw pread(2), 1 MiB calls", \.rawRead)
    let readRate = figure("PartitionLog.read, maxBytes 1 MiB", \.logRead)
    let medianReadRatio = median(rounds.map(\.logRead)) / max(median(rounds.map(\.rawRead)), 1e-9)
    line(
        "  ratio to raw",
        "\(format(readRate / rawReadRate, 2))  (of medians: \(format(medianReadRatio, 2)))")
    let readCPURatio =
        (rounds.map(\.logReadCPU).max() ?? 0) / max(rounds.map(\.rawReadCPU).max() ?? 0, 1e-9)
    line("  ratio to raw, by CPU time", format(readCPURatio, 2))
}

// MARK: - Start-up of a node's partitions

let node = root + "/node-1"
func partitionDirectory(_ n: Int) -> String { node + "/bench-\(n)" }

/// Creates the node's partitions with data, closes them cleanly and writes the checkpoint
/// and the clean-shutdown marker, as `shutdownCleanly` does.
func fillNode() -> Duration {
    must("creating \(node)") { try fs.makeDirectory(node) }
    var ends: [TopicPartition: Int64] = [:]
    let elapsed = clock.measure {
        for n in 0..<options.partitions {
            var (partition, _) = openLog(partitionDirectory(n), recoveryPoint: nil)
            var written = 0
            var b = n
            while written < options.partitionKilobytes * 1024 {
                let batch = batches[b % batches.count]
                _ = must("append") {
                    try partition.append(batch, leaderEpoch: 0, wallClockMs: 1_700_000_000_000)
                }
                written += batch.readableBytes
                b += 1
            }
            must("close") { try partition.close() }
            ends[TopicPartition(topic: "bench", partition: Int32(n))] = partition.logEndOffset
        }
    }
    must("checkpoint") {
        try Checkpoints.write(ends, to: node + "/" + Checkpoints.recoveryPointFileName, fs: fs)
        try Checkpoints.writeCleanShutdown(in: node, fs: fs)
    }
    return elapsed
}

/// Opens every partition as a broker start does (all kept open until the last is loaded,
/// then closed cleanly); returns the time and the bytes recovery validated.
func startNode(clean: Bool) -> (Duration, validatedBytes: Int64) {
    var logs: [PartitionLog] = []
    logs.reserveCapacity(options.partitions)
    var validated: Int64 = 0
    let elapsed = clock.measure {
        let points: [TopicPartition: Int64]? =
            clean
            ? must("reading checkpoints") {
                try Checkpoints.read(node + "/" + Checkpoints.recoveryPointFileName, fs: fs)
            } : nil
        for n in 0..<options.partitions {
            let tp = TopicPartition(topic: "bench", partition: Int32(n))
            let (partition, report) = openLog(
                partitionDirectory(n), recoveryPoint: points.map { $0[tp] ?? 0 })
            validated += report.validatedBytes
            logs.append(partition)
        }
    }
    for n in logs.indices { must("close") { try logs[n].close() } }
    return (elapsed, validated)
}

func runStartup() {
    print("")
    print(
        "Start-up: \(options.partitions) partitions, \(options.partitionKilobytes) KiB each "
            + "(\(options.partitions * options.partitionKilobytes / 1024) MiB)")
    sync()
    let fillTime = fillNode()
    line("create, fill and close cleanly (fsyncs)", "\(format(seconds(fillTime), 2)) s")
    sync()
    let each = { (time: Duration) in format(seconds(time) * 1e6 / Double(options.partitions)) }
    let (cleanTime, cleanValidated) = startNode(clean: true)
    line(
        "open all, clean (recovery points)",
        "\(format(seconds(cleanTime) * 1000)) ms  (\(each(cleanTime)) µs each; "
            + "\(cleanValidated) bytes validated)")
    sync()
    let (uncleanTime, uncleanValidated) = startNode(clean: false)
    line(
        "open all, unclean (recoveryPoint nil)",
        "\(format(seconds(uncleanTime) * 1000)) ms  (\(each(uncleanTime)) µs each; "
            + "\(uncleanValidated / 1_048_576) MiB validated)")
}

if options.phase != "startup" { runThroughput() }
if options.phase != "throughput" { runStartup() }
if options.keep {
    print("\nkept \(root)")
} else {
    removeTree(root)
}

extension String {
    fileprivate func replacingTrailingSpace() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
