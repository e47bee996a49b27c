// Protocol tests: gzip over zlib. Goal: our output is standard gzip, Python's gzip and zlib
// output inflates, damaged or cut streams give typed errors, and a zip bomb stops at the limit.

import NIOCore
import Testing

@testable import Cluster

@Suite struct GzipTests {
    /// `gzip.compress(b"hello kafka", mtime=0)` from CPython 3.11.
    static let pythonGzip = BatchFixtures.hex(
        "1f8b0800000000000203cb48cdc9c957c84e4ccb4e0400d175816c0b000000")
    /// `zlib.compress(b"hello kafka")` from CPython 3.11 (zlib framing, also accepted).
    static let pythonZlib = BatchFixtures.hex("789ccb48cdc9c957c84e4ccb4e0400196e0433")
    /// Two members, `gzip.compress(b"one ", mtime=0) + gzip.compress(b"two", mtime=0)`.
    static let pythonTwoMembers = BatchFixtures.hex(
        "1f8b0800000000000203cbcf4b5500004961ac2304000000"
            + "1f8b08000000000002032b29cf0700668aca1103000000")

    private static func pseudoRandom(count: Int, seed: UInt64) -> [UInt8] {
        var entropy = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: entropy.next()) }
    }

    @Test(
        "compress then decompress gives the input back",
        arguments: [0, 1, 100, 65_536, 65_537, 300_000])
    func roundTrip(count: Int) throws {
        for input in [
            Self.pseudoRandom(count: count, seed: UInt64(count)),
            [UInt8](repeating: 0x61, count: count),
        ] {
            let compressed = try Gzip.compress(input)
            #expect(Array(compressed.prefix(3)) == [0x1F, 0x8B, 0x08])  // gzip magic, deflate
            #expect(try Gzip.decompress(compressed) == input)
            #expect(try Gzip.decompress(ByteBuffer(bytes: compressed)) == input)
        }
    }

    @Test("Python's gzip, zlib and two-member output inflate")
    func pythonOutput() throws {
        #expect(try Gzip.decompress(Self.pythonGzip) == Array("hello kafka".utf8))
        #expect(try Gzip.decompress(Self.pythonZlib) == Array("hello kafka".utf8))
        #expect(try Gzip.decompress(Self.pythonTwoMembers) == Array("one two".utf8))
    }

    @Test("every cut-short stream is an error, never a partial success")
    func everyTruncation() {
        let stream = Self.pythonGzip
        for length in 0..<stream.count {
            #expect(throws: GzipError.self) { try Gzip.decompress(Array(stream[0..<length])) }
        }
    }

    @Test("damaged bytes are refused as corrupt or truncated")
    func damage() {
        #expect(throws: GzipError.self) { try Gzip.decompress(Array("not gzip at all".utf8)) }
        var badCRC = Self.pythonGzip
        badCRC[badCRC.count - 6] ^= 0x01  // the CRC-32 in the trailer
        #expect(throws: GzipError.self) { try Gzip.decompress(badCRC) }
        var trailingGarbage = Self.pythonGzip
        trailingGarbage.append(contentsOf: [0x00, 0x01, 0x02])
        #expect(throws: GzipError.self) { try Gzip.decompress(trailingGarbage) }
    }

    @Test("a zip bomb stops at the limit: 1 MiB of zeros against 64 KiB")
    func smallBomb() throws {
        let bomb = try Gzip.compress([UInt8](repeating: 0, count: 1 << 20))
        #expect(bomb.count < 2_048)
        #expect(throws: GzipError.tooLarge(limit: 65_536)) {
            try Gzip.decompress(bomb, limit: 65_536)
        }
        #expect(try Gzip.decompress(bomb, limit: 1 << 20).count == 1 << 20)
    }

    @Test("a zip bomb past Limits.decompressedBatchBytesMax is refused by default")
    func defaultLimitBomb() throws {
        // 80 members of 1 MiB of zeros each: about 80 KiB that would inflate to 80 MiB.
        let member = try Gzip.compress([UInt8](repeating: 0, count: 1 << 20))
        let bomb = Array([[UInt8]](repeating: member, count: 80).joined())
        #expect(bomb.count < 100_000)
        #expect(throws: GzipError.tooLarge(limit: Limits.decompressedBatchBytesMax)) {
            try Gzip.decompress(bomb)
        }
    }

    @Test("the decompression bound is above the largest batch a broker accepts")
    func limitsRelate() {
        #expect(Limits.decompressedBatchBytesMax >= 16 * Limits.batchBytesMax)
        #expect(Limits.decompressedBatchBytesMax <= Limits.frameBytesMax)
    }
}
