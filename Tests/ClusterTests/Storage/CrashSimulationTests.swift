// Storage tests: seeded runs of appends, flushes, rolls, retention and crashes on the
// in-memory disk. Goal: whatever the crash, every record below the checkpointed recovery
// point survives byte for byte, the log reopens, and appends carry on from its end.

import NIOCore
import Testing

@testable import Cluster

@Suite struct CrashSimulationTests {
    /// A small seeded generator, so a failing seed replays exactly.
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    @Test("flushed records survive every kind of crash", arguments: Array(UInt64(1)...24))
    func flushedRecordsSurviveCrashes(seed: UInt64) async throws {
        try await offCooperativePool {
            var random = Generator(state: seed)
            let fixture = LogFixture {
                $0.segmentBytes = 1_024 + 256 * random.next(4)
                $0.indexIntervalBytes = 64 * random.next(4)
                $0.retentionBytes = random.next(2) == 0 ? -1 : 3_000
            }
            var log = try fixture.openNew()
            var checkpoint: Int64 = 0
            var startCheckpoint: Int64 = 0
            // What each batch's bytes were when appended, by base offset.
            var written: [Int64: [UInt8]] = [:]
            for step in 0..<120 {
                switch random.next(20) {
                case 0..<14:
                    let batch = TestBatches.batch(
                        records: 1 + random.next(4), valueBytes: random.next(120),
                        timestamp: Int64(step))
                    let info = try log.append(batch, leaderEpoch: 1, wallClockMs: Int64(step))
                    written[info.firstOffset] = try storedBytes(of: log, at: info.firstOffset)
                case 14..<17:
                    try log.flush()
                    checkpoint = log.recoveryPoint
                    startCheckpoint = log.logStartOffset
                case 17:
                    _ = try log.applyRetention(nowWallClockMs: Int64(step))
                    startCheckpoint = min(startCheckpoint, log.logStartOffset)
                default:
                    let modes: [MemoryFileSystem.CrashMode] = [
                        .keepWrittenBytes, .loseUnsyncedBytes,
                        .tearLastWrite(keepingBytes: random.next(80)),
                    ]
                    fixture.fs.crash(modes[random.next(modes.count)])
                    let (reopened, report) = try fixture.open(
                        recoveryPoint: checkpoint, logStartOffset: startCheckpoint,
                        wallClockMs: Int64(step))
                    log = reopened
                    #expect(log.logEndOffset >= checkpoint, "seed \(seed) step \(step): \(report)")
                    for header in try log.readAllHeaders() {
                        #expect(
                            try storedBytes(of: log, at: header.baseOffset)
                                == written[header.baseOffset],
                            "seed \(seed) step \(step): batch \(header.baseOffset) changed")
                    }
                    checkpoint = min(checkpoint, log.recoveryPoint)
                }
            }
            try log.close()
            #expect(fixture.fs.openFileCount == 0)
        }
    }

    private func storedBytes(of log: PartitionLog, at offset: Int64) throws -> [UInt8] {
        let data = try log.read(from: offset, maxBytes: 1, upTo: .max)
        guard let header = RecordBatchHeader(data.records, at: data.records.readerIndex) else {
            return []
        }
        return data.records.getBytes(at: data.records.readerIndex, length: header.totalSize) ?? []
    }
}
