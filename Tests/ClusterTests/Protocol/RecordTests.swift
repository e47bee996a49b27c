// Protocol tests: one Record of a RecordBatch v2. Goal: encode and decode are inverses, the
// bytes match the layout byte for byte, and every malformed record throws a DecodeError.

import NIOCore
import Testing

@testable import Cluster

@Suite struct RecordTests {
    static let samples: [Record] = [
        Record(
            timestampDelta: 0, offsetDelta: 0, key: Array("k".utf8), value: Array("v1".utf8),
            headers: [RecordHeader(key: "h", value: Array("x".utf8))]),
        Record(timestampDelta: -10, offsetDelta: 1, key: nil, value: Array("no key".utf8)),
        Record(timestampDelta: 5, offsetDelta: 2, key: Array("tombstone".utf8), value: nil),
        Record(timestampDelta: 1 << 40, offsetDelta: 300, key: [], value: []),
        Record(
            timestampDelta: .min, offsetDelta: .max, key: [0, 255],
            value: [UInt8](repeating: 7, count: 1000),
            headers: [
                RecordHeader(key: "", value: nil), RecordHeader(key: "trace", value: []),
                RecordHeader(key: "trace", value: [1]),
                RecordHeader(key: "héllo ✓", value: [2, 3]),
            ]),
    ]

    private func encoded(_ record: Record) -> [UInt8] {
        var writer = WireWriter()
        record.encode(to: &writer)
        return BatchFixtures.bytes(writer.buffer)
    }

    @Test("a record encodes to the hand-built bytes of the layout")
    func encodesToLayout() {
        #expect(encoded(Self.samples[0]) == BatchFixtures.hex(BatchFixtures.handBuiltRecord))
    }

    @Test("the hand-built record bytes decode to key, value and header")
    func decodesLayout() throws {
        var reader = WireReader(
            BatchFixtures.buffer(BatchFixtures.hex(BatchFixtures.handBuiltRecord)))
        let record = try Record(from: &reader)
        #expect(record == Self.samples[0])
        #expect(reader.isAtEnd)
    }

    @Test(
        "encode then decode gives the same record, and sizeInBytes counts every byte",
        arguments: samples)
    func roundTrip(record: Record) throws {
        let bytes = encoded(record)
        #expect(record.sizeInBytes == bytes.count)
        var reader = WireReader(BatchFixtures.buffer(bytes))
        #expect(try Record(from: &reader) == record)
        #expect(reader.isAtEnd)
    }

    @Test("null key and null value stay null, and empty stays empty")
    func nullIsNotEmpty() throws {
        for record in Self.samples {
            var reader = WireReader(BatchFixtures.buffer(encoded(record)))
            let back = try Record(from: &reader)
            #expect((back.key == nil) == (record.key == nil))
            #expect((back.value == nil) == (record.value == nil))
        }
    }

    @Test("every truncation of an encoded record throws", arguments: samples)
    func everyTruncationThrows(record: Record) {
        let bytes = encoded(record)
        for length in 0..<bytes.count {
            var reader = WireReader(BatchFixtures.buffer(Array(bytes[0..<length])))
            #expect(throws: DecodeError.self) { try Record(from: &reader) }
        }
    }

    /// Body bytes after the length varint: attributes 0, timestampDelta 0, offsetDelta 0.
    private func record(body: [UInt8], length: Int? = nil) -> [UInt8] {
        var writer = WireWriter()
        writer.writeVarint(Int32(length ?? body.count + 3))
        writer.buffer.writeBytes([0, 0, 0] + body)
        return BatchFixtures.bytes(writer.buffer)
    }

    static let malformed: [(String, [UInt8], Int?)] = [
        ("negative record length", [], -2),
        ("length beyond the bytes", [0x00, 0x00, 0x00], 50),
        ("bytes left after the headers", [0x00, 0x00, 0x00, 0x42], nil),
        ("key length -2", [0x03], nil),
        ("value length -3", [0x01, 0x05], nil),
        ("negative header count", [0x01, 0x01, 0x01], nil),
        ("more headers than bytes", [0x01, 0x01, 0x7E], nil),
        ("null header key", [0x01, 0x01, 0x02, 0x01, 0x01], nil),
        ("header value cut short", [0x01, 0x01, 0x02, 0x02, 0x68, 0x08, 0x78], nil),
        ("varint longer than five bytes", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], nil),
    ]

    @Test("malformed records throw a DecodeError", arguments: 0..<malformed.count)
    func malformedRecordsThrow(index: Int) {
        let (name, body, length) = Self.malformed[index]
        var reader = WireReader(BatchFixtures.buffer(record(body: body, length: length)))
        #expect(throws: DecodeError.self, "\(name)") { try Record(from: &reader) }
    }

    @Test("a well-formed minimal body decodes (the malformed cases differ only in their flaw)")
    func minimalBodyDecodes() throws {
        var reader = WireReader(BatchFixtures.buffer(record(body: [0x01, 0x01, 0x00])))
        let decoded = try Record(from: &reader)
        #expect(decoded == Record(timestampDelta: 0, offsetDelta: 0, key: nil, value: nil))
    }
}
