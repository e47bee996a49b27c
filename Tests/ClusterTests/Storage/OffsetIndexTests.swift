// Storage tests: the sparse offset index. Goal: lookups return the greatest entry at or
// below the target (exact, between entries, before the first), entries only grow, and the
// file form round-trips and is refused when insane.

import NIOCore
import Testing

@testable import Cluster

@Suite struct OffsetIndexTests {
    /// Entries (110, 0), (120, 4100), (135, 8300) in a segment based at 100.
    private func sample() -> OffsetIndex {
        var index = OffsetIndex(baseOffset: 100, maxEntries: 10)
        _ = index.append(offset: 110, position: 0)
        _ = index.append(offset: 120, position: 4_100)
        _ = index.append(offset: 135, position: 8_300)
        return index
    }

    @Test("an exact offset finds its own entry")
    func exact() {
        #expect(sample().lookup(120) == .init(offset: 120, position: 4_100))
        #expect(sample().lookup(135) == .init(offset: 135, position: 8_300))
    }

    @Test("an offset between entries finds the entry below it")
    func between() {
        #expect(sample().lookup(119) == .init(offset: 110, position: 0))
        #expect(sample().lookup(121) == .init(offset: 120, position: 4_100))
        #expect(sample().lookup(9_999) == .init(offset: 135, position: 8_300))
    }

    @Test(
        "an offset before the first entry, or an empty index, gives the base offset at position 0")
    func beforeFirst() {
        #expect(sample().lookup(105) == .init(offset: 100, position: 0))
        #expect(sample().lookup(3) == .init(offset: 100, position: 0))
        #expect(
            OffsetIndex(baseOffset: 7, maxEntries: 4).lookup(50) == .init(offset: 7, position: 0))
    }

    @Test("entries must grow in offset and position, fit 32 bits, and stop when full")
    func appendRules() {
        var index = OffsetIndex(baseOffset: 100, maxEntries: 2)
        #expect(index.append(offset: 99, position: 0) == nil)
        #expect(index.append(offset: 105, position: 10) != nil)
        #expect(index.append(offset: 105, position: 20) == nil)
        #expect(index.append(offset: 106, position: 10) == nil)
        #expect(index.append(offset: 100 + Int64(Int32.max) + 1, position: 30) == nil)
        #expect(index.append(offset: 107, position: 30) != nil)
        #expect(index.isFull)
        #expect(index.append(offset: 108, position: 40) == nil)
        #expect(index.count == 2)
    }

    @Test("an entry is 8 bytes, relative offset then position, big-endian")
    func encoding() {
        var index = OffsetIndex(baseOffset: 100, maxEntries: 4)
        let entry = index.append(offset: 105, position: 4_200)
        #expect(entry.map(TestBatches.bytes) == [0, 0, 0, 5, 0, 0, 0x10, 0x68])
        #expect(TestBatches.bytes(index.encoded()) == [0, 0, 0, 5, 0, 0, 0x10, 0x68])
    }

    @Test("the file form decodes back; partial, shrinking or out-of-file entries are refused")
    func decoding() {
        let index = sample()
        #expect(
            OffsetIndex.decode(index.encoded(), baseOffset: 100, maxEntries: 10, logSize: 9_000)
                == index)
        #expect(
            OffsetIndex.decode(index.encoded(), baseOffset: 100, maxEntries: 10, logSize: 8_000)
                == nil)
        var partial = index.encoded()
        partial.moveWriterIndex(to: partial.writerIndex - 3)
        #expect(OffsetIndex.decode(partial, baseOffset: 100, maxEntries: 10, logSize: 9_000) == nil)
        var backwards = ByteBuffer()
        backwards.writeInteger(Int32(20), endianness: .big)
        backwards.writeInteger(Int32(0), endianness: .big)
        backwards.writeInteger(Int32(10), endianness: .big)
        backwards.writeInteger(Int32(100), endianness: .big)
        #expect(
            OffsetIndex.decode(backwards, baseOffset: 100, maxEntries: 10, logSize: 9_000) == nil)
    }

    @Test("truncating to an offset drops its entry and every later one")
    func truncation() {
        var index = sample()
        index.truncate(to: 121)
        #expect(index.count == 2)
        index.truncate(to: 120)
        #expect(index.count == 1)
        #expect(index.lastOffset == 110)
        index.truncate(to: 0)
        #expect(index.isEmpty && index.lastOffset == 100)
    }
}

@Suite struct TimeIndexTests {
    @Test("entries are added only when the timestamp grows; lookups find the last at or below")
    func appendAndLookup() {
        var index = TimeIndex(baseOffset: 50, maxEntries: 10)
        #expect(index.maybeAppend(timestamp: 1_000, offset: 52) != nil)
        #expect(index.maybeAppend(timestamp: 1_000, offset: 55) == nil)
        #expect(index.maybeAppend(timestamp: 900, offset: 56) == nil)
        #expect(index.maybeAppend(timestamp: 2_000, offset: 60) != nil)
        #expect(index.lookup(1_500) == .init(timestamp: 1_000, offset: 52))
        #expect(index.lookup(2_000) == .init(timestamp: 2_000, offset: 60))
        #expect(index.lookup(999) == .init(timestamp: -1, offset: 50))
        #expect(index.lastEntry == .init(timestamp: 2_000, offset: 60))
    }

    @Test("the last slot is kept for the entry written at roll")
    func reservedSlot() {
        var index = TimeIndex(baseOffset: 0, maxEntries: 3)
        _ = index.maybeAppend(timestamp: 1, offset: 1)
        _ = index.maybeAppend(timestamp: 2, offset: 2)
        #expect(index.isFull)
        #expect(index.maybeAppend(timestamp: 3, offset: 3) == nil)
        #expect(index.maybeAppend(timestamp: 3, offset: 3, skipFullCheck: true) != nil)
        #expect(index.count == 3)
    }

    @Test("an entry is 12 bytes, timestamp then relative offset; the file form round-trips")
    func encoding() {
        var index = TimeIndex(baseOffset: 50, maxEntries: 10)
        _ = index.maybeAppend(timestamp: 258, offset: 53)
        #expect(TestBatches.bytes(index.encoded()) == [0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 3])
        #expect(TimeIndex.decode(index.encoded(), baseOffset: 50, maxEntries: 10) == index)
        var partial = index.encoded()
        partial.moveWriterIndex(to: partial.writerIndex - 1)
        #expect(TimeIndex.decode(partial, baseOffset: 50, maxEntries: 10) == nil)
    }
}
