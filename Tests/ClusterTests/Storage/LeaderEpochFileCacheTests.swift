// Storage tests: the leader-epoch cache as a value. Goal: Kafka's rules, case by case as
// Kafka's own LeaderEpochFileCacheTest states them: assign keeps entries monotonic, the
// OffsetForLeaderEpoch answers (latest, older, missing, unknown), and both truncations.

import Testing

@testable import Cluster

@Suite struct LeaderEpochFileCacheTests {
    private func cache(_ pairs: [(Int32, Int64)]) -> LeaderEpochFileCache {
        var cache = LeaderEpochFileCache()
        for (epoch, offset) in pairs { cache.assign(epoch: epoch, startOffset: offset) }
        return cache
    }

    private func entries(_ pairs: [(Int32, Int64)]) -> [EpochEntry] {
        pairs.map { EpochEntry(epoch: $0.0, startOffset: $0.1) }
    }

    private func answer(_ epoch: Int32, _ offset: Int64) -> EpochEndOffset {
        EpochEndOffset(leaderEpoch: epoch, endOffset: offset)
    }

    // MARK: - assign

    @Test(
        "an epoch keeps the start offset it was first assigned; later batches of it change nothing")
    func sameEpochKeepsItsStart() {
        var cache = cache([(2, 6)])
        let changed = cache.assign(epoch: 2, startOffset: 7)
        #expect(!changed)
        let changedAgain = cache.assign(epoch: 2, startOffset: 10)
        #expect(!changedAgain)
        #expect(cache.entries == entries([(2, 6)]))
        #expect(cache.latestEpoch == 2)
    }

    @Test("a new epoch at the same start offset replaces the old one (nothing was written in it)")
    func newEpochSameOffset() {
        var cache = cache([(2, 9)])
        let changed = cache.assign(epoch: 3, startOffset: 9)
        #expect(changed)
        #expect(cache.entries == entries([(3, 9)]))
    }

    @Test("a new epoch whose start goes backwards drops the entries it conflicts with")
    func offsetsStayMonotonic() {
        var cache = cache([(2, 6)])
        cache.assign(epoch: 3, startOffset: 5)
        #expect(cache.entries == entries([(3, 5)]))
    }

    @Test("an older epoch assigned later drops every later epoch, so epochs stay monotonic")
    func epochsStayMonotonic() {
        var cache = cache([(1, 5), (2, 6)])
        let changed = cache.assign(epoch: 1, startOffset: 7)
        #expect(changed)
        #expect(cache.latestEpoch == 1)
        #expect(cache.entries == entries([(1, 7)]))
        #expect(cache.endOffset(for: 1, logEndOffset: 8) == answer(1, 8))
        #expect(cache.endOffset(for: 2, logEndOffset: 8) == .undefined)
    }

    @Test("the latest epoch at an earlier start offset truncates the entries in between")
    func matchingEpochEarlierStart() {
        var cache = cache([(5, 11), (6, 12), (7, 13)])
        cache.assign(epoch: 7, startOffset: 12)
        #expect(cache.entries == entries([(5, 11), (7, 12)]))
        #expect(cache.endOffset(for: 5, logEndOffset: 0) == answer(5, 12))
        #expect(cache.endOffset(for: 6, logEndOffset: 0) == answer(5, 12))
    }

    @Test("a cache read from a file whose lines go backwards comes out monotonic")
    func fromEntries() {
        let cache = LeaderEpochFileCache(entries: entries([(1, 0), (3, 10), (2, 20)]))
        #expect(cache.entries == entries([(1, 0), (2, 20)]))
    }

    // MARK: - endOffset(for:) (OffsetForLeaderEpoch)

    @Test("the latest epoch ends at the log end offset")
    func latestEpochEndsAtLogEnd() {
        let cache = cache([(2, 11), (2, 12)])
        #expect(cache.endOffset(for: 2, logEndOffset: 14) == answer(2, 14))
    }

    @Test("an older epoch ends where the next one starts")
    func olderEpochEndsAtNextStart() {
        let cache = cache([(1, 11), (1, 12), (2, 13), (2, 14), (3, 15), (3, 16)])
        #expect(cache.endOffset(for: 2, logEndOffset: 17) == answer(2, 15))
        #expect(cache.endOffset(for: 1, logEndOffset: 17) == answer(1, 13))
        #expect(cache.endOffset(for: 3, logEndOffset: 17) == answer(3, 17))
    }

    @Test("an epoch not in the cache answers with the largest epoch below it and the next start")
    func missingEpoch() {
        let cache = cache([(0, 10), (2, 13), (4, 17)])
        #expect(cache.endOffset(for: 1, logEndOffset: 0) == answer(0, 13))
        #expect(cache.endOffset(for: 2, logEndOffset: 0) == answer(2, 17))
        #expect(cache.endOffset(for: 3, logEndOffset: 0) == answer(2, 17))
    }

    @Test("an epoch older than every entry answers itself and the first entry's start")
    func epochBelowFirst() {
        let cache = cache([(5, 11), (6, 12), (7, 13)])
        #expect(cache.endOffset(for: 4, logEndOffset: 0) == answer(4, 11))
    }

    @Test(
        "undefined: the undefined epoch, an epoch above the latest, or an empty cache",
        arguments: [(Int32(-1), false), (3, false), (0, true), (7, true)])
    func undefined(epoch: Int32, emptyCache: Bool) {
        let cache = emptyCache ? LeaderEpochFileCache() : cache([(2, 11), (2, 12)])
        #expect(cache.endOffset(for: epoch, logEndOffset: 73) == .undefined)
        #expect(cache.endOffset(for: epoch, logEndOffset: 73).isUndefined)
    }

    @Test(
        "epochs tracked as leaders change: each ends where the next starts, the last at the log end"
    )
    func manyLeaderChanges() {
        var cache = cache([(0, 0), (1, 0)])
        #expect(cache.latestEpoch == 1)
        #expect(cache.endOffset(for: 1, logEndOffset: 0) == answer(1, 0))
        #expect(cache.endOffset(for: 0, logEndOffset: 0) == answer(0, 0))
        #expect(cache.endOffset(for: 1, logEndOffset: 5) == answer(1, 5))
        cache.assign(epoch: 2, startOffset: 5)
        #expect(cache.endOffset(for: 2, logEndOffset: 10) == answer(2, 10))
        #expect(cache.endOffset(for: 1, logEndOffset: 10) == answer(1, 5))
        #expect(cache.endOffset(for: 0, logEndOffset: 10) == answer(0, 0))
    }

    @Test("epoch(forOffset:) names the epoch a record was written in")
    func epochForOffset() {
        let cache = cache([(0, 10), (1, 20), (5, 30)])
        #expect(cache.epoch(forOffset: 25) == 1)
        #expect(cache.epoch(forOffset: 20) == 1)
        #expect(cache.epoch(forOffset: 30) == 5)
        #expect(cache.epoch(forOffset: 50) == 5)
        #expect(cache.epoch(forOffset: 5) == nil)
    }

    // MARK: - Truncation

    @Test("truncateFromEnd drops the entries starting at or after the offset")
    func truncateFromEnd() {
        var onBoundary = cache([(2, 6), (3, 8), (4, 11)])
        let cutOnBoundary = onBoundary.truncateFromEnd(endOffset: 8)
        #expect(cutOnBoundary)
        #expect(onBoundary.entries == entries([(2, 6)]))

        var between = cache([(2, 6), (3, 8), (4, 11)])
        let cutBetween = between.truncateFromEnd(endOffset: 9)
        #expect(cutBetween)
        #expect(between.entries == entries([(2, 6), (3, 8)]))
        #expect(between.latestEpoch == 3)

        var past = cache([(2, 6), (3, 8), (4, 11)])
        let cutPast = past.truncateFromEnd(endOffset: 12)
        let cutNegative = past.truncateFromEnd(endOffset: -1)
        #expect(!cutPast && !cutNegative)
        #expect(past.entries.count == 3)
        var empty = LeaderEpochFileCache()
        let cutEmpty = empty.truncateFromEnd(endOffset: 7)
        #expect(!cutEmpty)
    }

    /// A new log start offset and the entries truncateFromStart leaves of (2,6) (3,8) (4,11).
    private static let startCases: [(start: Int64, expected: [EpochEntry])] = [
        (8, [.init(epoch: 3, startOffset: 8), .init(epoch: 4, startOffset: 11)]),
        (9, [.init(epoch: 3, startOffset: 9), .init(epoch: 4, startOffset: 11)]),
        (1, Self.unchanged), (6, Self.unchanged), (-1, Self.unchanged),
        (11, [.init(epoch: 4, startOffset: 11)]),
        (15, [.init(epoch: 4, startOffset: 15)]),
    ]
    private static let unchanged: [EpochEntry] = [
        .init(epoch: 2, startOffset: 6), .init(epoch: 3, startOffset: 8),
        .init(epoch: 4, startOffset: 11),
    ]

    @Test(
        "truncateFromStart keeps the epoch holding the new start and moves its start there",
        arguments: startCases)
    func truncateFromStart(start: Int64, expected: [EpochEntry]) {
        var cache = LeaderEpochFileCache(entries: Self.unchanged)
        let changed = cache.truncateFromStart(startOffset: start)
        #expect(cache.entries == expected)
        #expect(changed == (expected != Self.unchanged))
    }

    @Test("truncateFromStart between the first two entries keeps the first, moved up")
    func truncateFromStartInFirstEpoch() {
        var cache = cache([(0, 0), (1, 7), (2, 10)])
        cache.truncateFromStart(startOffset: 5)
        #expect(cache.entries == entries([(0, 5), (1, 7), (2, 10)]))
    }

    @Test("clear forgets everything and says whether there was anything")
    func clear() {
        var cache = cache([(2, 6), (3, 8)])
        let changed = cache.clear()
        #expect(changed)
        #expect(cache.isEmpty && cache.latestEpoch == nil)
        let changedAgain = cache.clear()
        #expect(!changedAgain)
    }
}
