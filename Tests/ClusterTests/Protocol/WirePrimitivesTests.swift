// Protocol tests: Kafka's primitive types. Goal: each reads back what was written, matches the
// spec's byte layout, and turns every malformed input into a DecodeError naming the field.

import NIOCore
import Testing

@testable import Cluster

@Suite struct WirePrimitivesTests {
    static let unsignedCases: [(UInt32, [UInt8])] = [
        (0, [0x00]), (1, [0x01]), (127, [0x7F]), (128, [0x80, 0x01]),
        (300, [0xAC, 0x02]), (UInt32.max, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
    ]
    static let zigzagCases: [(Int32, [UInt8])] = [
        (0, [0]), (-1, [1]), (1, [2]), (-2, [3]), (Int32.min, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
    ]

    @Test("unsigned varints use LEB128 as in the protocol guide", arguments: unsignedCases)
    func unsignedVarint(value: UInt32, encoded: [UInt8]) throws {
        var w = WireWriter()
        w.writeUnsignedVarint(value)
        #expect(bytes(w.buffer) == encoded)
        var r = WireReader(w.buffer)
        #expect(try r.readUnsignedVarint("v") == value)
        #expect(r.isAtEnd)
    }

    @Test("signed varints zig-zag: 0, -1, 1, -2 become 0, 1, 2, 3", arguments: zigzagCases)
    func zigzag(value: Int32, encoded: [UInt8]) throws {
        var w = WireWriter()
        w.writeVarint(value)
        #expect(bytes(w.buffer) == encoded)
        var r = WireReader(w.buffer)
        #expect(try r.readVarint("v") == value)
    }

    @Test("varlongs round-trip at the extremes")
    func varlong() throws {
        for v in [Int64.min, -1, 0, 1, Int64.max] {
            var w = WireWriter()
            w.writeVarlong(v)
            var r = WireReader(w.buffer)
            #expect(try r.readVarlong("v") == v)
        }
    }

    @Test("a varint longer than five bytes is refused")
    func longVarint() {
        var r = WireReader(buffer([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]))
        #expect(throws: DecodeError.self) { try r.readUnsignedVarint("count") }
    }

    @Test("strings: int16 length, compact length+1, and null as -1 or 0")
    func strings() throws {
        var w = WireWriter()
        w.writeString("ab", compact: false)
        w.writeNullableString(nil, compact: false)
        w.writeString("ab", compact: true)
        w.writeNullableString(nil, compact: true)
        #expect(bytes(w.buffer) == [0, 2, 0x61, 0x62, 0xFF, 0xFF, 3, 0x61, 0x62, 0])
        var r = WireReader(w.buffer)
        #expect(try r.readString("a", compact: false) == "ab")
        #expect(try r.readNullableString("b", compact: false) == nil)
        #expect(try r.readString("c", compact: true) == "ab")
        #expect(try r.readNullableString("d", compact: true) == nil)
    }

    @Test("a negative length other than -1 is invalid, a short string is truncated")
    func badLengths() {
        var r = WireReader(buffer([0xFF, 0xFE]))
        #expect(throws: DecodeError.invalid(field: "name", reason: "negative length -2")) {
            try r.readNullableString("name", compact: false)
        }
        var short = WireReader(buffer([0, 5, 0x61]))
        #expect(throws: DecodeError.truncated(field: "name")) { try short.readString("name", compact: false) }
    }

    @Test("an array count larger than the bytes left is refused before allocating")
    func forgedArrayCount() {
        var r = WireReader(buffer([0x7F, 0xFF, 0xFF, 0xFF, 0, 0]))
        #expect(throws: DecodeError.self) {
            _ = try r.readArray("topics", compact: false) { (e: inout WireReader) throws(DecodeError) in try e.readInt8("x") }
        }
    }

    @Test("unknown tagged fields are skipped; out-of-order tags are refused")
    func taggedFields() throws {
        var w = WireWriter()
        w.writeTaggedFields([(tag: 5, bytes: buffer([1, 2, 3])), (tag: 9, bytes: buffer([]))])
        w.writeInt8(42)
        var r = WireReader(w.buffer)
        var seen: [UInt32] = []
        try r.readTaggedFields("t") { tag, _ throws(DecodeError) in seen.append(tag) }
        #expect(seen == [5, 9])
        #expect(try r.readInt8("after") == 42)
        var bad = WireReader(buffer([2, 9, 0, 5, 0]))
        #expect(throws: DecodeError.self) { try bad.readTaggedFields("t") }
    }

    @Test("a Uuid prints as Kafka's 22-character URL-safe base64 and parses back")
    func uuid() throws {
        let id = Uuid(mostSignificantBits: 0x0123_4567_89AB_CDEF, leastSignificantBits: 0xFEDC_BA98_7654_3210)
        #expect(id.description == "ASNFZ4mrze_-3LqYdlQyEA")
        #expect(Uuid("ASNFZ4mrze_-3LqYdlQyEA") == id)
        #expect(Uuid("not-a-uuid") == nil)
    }
}
