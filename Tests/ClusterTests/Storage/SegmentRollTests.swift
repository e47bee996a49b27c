// Storage tests: when a new segment is rolled. Goal: Kafka's four triggers (bytes, time,
// a full index, a relative offset that no longer fits) each roll, and nothing else does.

import NIOCore
import Testing

@testable import Cluster

@Suite struct SegmentRollTests {
    @Test("a segment rolls before an append would push it past segment.bytes")
    func bySize() throws {
        let fixture = LogFixture { $0.segmentBytes = 1_024 }
        var log = try fixture.openNew()
        let size = TestBatches.batch(valueBytes: 200).readableBytes  // 268 bytes: three fit in 1024
        let infos = try log.appendBatches(7, valueBytes: 200)
        #expect(infos.map(\.rolled) == [false, false, false, true, false, false, true])
        #expect(log.segments.map(\.baseOffset) == [0, 3, 6])
        #expect(log.segments.map(\.sizeInBytes) == [3 * size, 3 * size, size])
        #expect(log.segments.map(\.isActive) == [false, false, true])
        #expect(fixture.fs.exists(fixture.path("00000000000000000003.log")))
        #expect(fixture.fs.exists(fixture.path("00000000000000000006.timeindex")))
        // Rolling fsyncs the old segment, so the recovery point is the new segment's base.
        #expect(log.recoveryPoint == 6)
    }

    @Test("a segment rolls once its batches' timestamps span more than segment.ms")
    func byTimestamps() throws {
        let fixture = LogFixture { $0.segmentMs = 1_000 }
        var log = try fixture.openNew()
        var rolled: [Bool] = []
        for timestamp: Int64 in [10_000, 10_500, 11_000, 11_001, 11_500] {
            let info = try log.append(
                TestBatches.batch(timestamp: timestamp), leaderEpoch: 0, wallClockMs: 0)
            rolled.append(info.rolled)
        }
        #expect(rolled == [false, false, false, true, false])
        #expect(log.segments.map(\.baseOffset) == [0, 3])
        #expect(
            log.segments[0].firstTimestamp == 10_000 && log.segments[0].largestTimestamp == 11_000)
    }

    @Test("without timestamps, segment.ms runs on the wall clock from the segment's creation")
    func byWallClock() throws {
        let fixture = LogFixture { $0.segmentMs = 1_000 }
        var log = try fixture.open(recoveryPoint: nil, wallClockMs: 50_000).0
        let untimed = { TestBatches.batch(timestamp: -1, timestampStep: 0) }
        #expect(try !log.append(untimed(), leaderEpoch: 0, wallClockMs: 50_100).rolled)
        #expect(try !log.append(untimed(), leaderEpoch: 0, wallClockMs: 51_000).rolled)
        #expect(try log.append(untimed(), leaderEpoch: 0, wallClockMs: 51_001).rolled)
        #expect(try !log.append(untimed(), leaderEpoch: 0, wallClockMs: 52_000).rolled)
        #expect(log.segments.map(\.baseOffset) == [0, 2])
    }

    @Test("a full offset index rolls the segment")
    func byFullIndex() throws {
        // 36 bytes hold 4 offset entries; with one timestamp for every batch the time index
        // holds a single entry and never fills, so only the offset index can.
        let fixture = LogFixture {
            $0.segmentIndexBytes = 36
            $0.indexIntervalBytes = 0
        }
        var log = try fixture.openNew()
        let infos = try log.appendBatches(7)
        #expect(infos.map(\.rolled) == [false, false, false, false, false, true, false])
        #expect(log.segments.map(\.baseOffset) == [0, 5])
        #expect(fixture.fs.contents(of: fixture.path("00000000000000000000.index"))?.count == 32)
    }

    @Test("a full time index rolls the segment too")
    func byFullTimeIndex() throws {
        // 24 bytes: 3 offset entries, 2 time entries of which the last is kept for the roll.
        let fixture = LogFixture {
            $0.segmentIndexBytes = 24
            $0.indexIntervalBytes = 0
        }
        var log = try fixture.openNew()
        let infos = try log.appendBatches(4, timestampStep: 10)
        #expect(infos.map(\.rolled) == [false, false, true, false])
    }

    @Test("an offset that no longer fits 32 bits relative to the base offset rolls the segment")
    func byRelativeOffset() throws {
        var log = try LogFixture().openNew()
        try log.appendBatches(1)
        // A compressed batch may claim a wide offset range; this one spans 2^31 offsets, so
        // its last offset is 2^31 past base offset 0: it rolls, and starts segment 1.
        let wide = TestBatches.batch(attributes: 1, lastOffsetDelta: Int32.max)
        #expect(try log.append(wide, leaderEpoch: 0, wallClockMs: 0).rolled)
        #expect(log.logEndOffset == 1 + Int64(Int32.max) + 1)
        // The next offset is 2^31 past base offset 1: another roll.
        #expect(try log.append(TestBatches.batch(), leaderEpoch: 0, wallClockMs: 0).rolled)
        #expect(log.segments.map(\.baseOffset) == [0, 1, 1 + Int64(Int32.max) + 1])
    }

    @Test("an append larger than segment.bytes is refused with RECORD_LIST_TOO_LARGE")
    func tooLarge() throws {
        var log = try LogFixture { $0.segmentBytes = 1_024 }.openNew()
        do {
            _ = try log.append(
                TestBatches.batch(records: 4, valueBytes: 300), leaderEpoch: 0, wallClockMs: 0)
            Issue.record("accepted an append larger than the segment")
        } catch {
            #expect(error.errorCode == .recordListTooLarge)
        }
        #expect(log.logEndOffset == 0)
    }
}
