// Protocol test support: one shape for every request and response codec, so round trips,
// truncations and fixtures are checked by the same few functions.

import NIOCore
import Testing

@testable import Cluster

/// Requests and responses share this shape; the test target states it once.
protocol WireCodec: Equatable {
    init(from reader: inout WireReader, version: Int16) throws(DecodeError)
    func encode(to writer: inout WireWriter, version: Int16)
}

extension FindCoordinatorRequest: WireCodec {}
extension FindCoordinatorResponse: WireCodec {}
extension JoinGroupRequest: WireCodec {}
extension JoinGroupResponse: WireCodec {}
extension SyncGroupRequest: WireCodec {}
extension SyncGroupResponse: WireCodec {}
extension HeartbeatRequest: WireCodec {}
extension HeartbeatResponse: WireCodec {}
extension LeaveGroupRequest: WireCodec {}
extension LeaveGroupResponse: WireCodec {}
extension OffsetCommitRequest: WireCodec {}
extension OffsetCommitResponse: WireCodec {}
extension OffsetFetchRequest: WireCodec {}
extension OffsetFetchResponse: WireCodec {}
extension ListGroupsRequest: WireCodec {}
extension ListGroupsResponse: WireCodec {}
extension DescribeGroupsRequest: WireCodec {}
extension DescribeGroupsResponse: WireCodec {}
extension DeleteGroupsRequest: WireCodec {}
extension DeleteGroupsResponse: WireCodec {}
extension OffsetDeleteRequest: WireCodec {}
extension OffsetDeleteResponse: WireCodec {}

enum Wire {
    static func encode<M: WireCodec>(_ message: M, _ version: Int16) -> [UInt8] {
        var w = WireWriter()
        message.encode(to: &w, version: version)
        return Array(w.buffer.readableBytesView)
    }

    static func decode<M: WireCodec>(
        _ type: M.Type, _ bytes: [UInt8], _ version: Int16
    ) throws(DecodeError) -> M {
        var r = WireReader(ByteBuffer(bytes: bytes))
        let message = try M(from: &r, version: version)
        guard r.isAtEnd else {
            throw .invalid(field: "end", reason: "\(r.remaining) bytes left over")
        }
        return message
    }

    /// Encodes, decodes, and checks: the value survives, nothing is left over, encoding is
    /// repeatable, and every strict prefix of the bytes fails to decode.
    static func checkRoundTrip<M: WireCodec>(
        _ message: M, version: Int16, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let bytes = encode(message, version)
        #expect(
            encode(message, version) == bytes, "encoding is repeatable",
            sourceLocation: sourceLocation)
        do {
            let decoded = try decode(M.self, bytes, version)
            #expect(decoded == message, "v\(version) round trip", sourceLocation: sourceLocation)
        } catch {
            Issue.record("v\(version) failed to decode: \(error)", sourceLocation: sourceLocation)
        }
        for length in 0..<bytes.count {
            let prefix = Array(bytes[0..<length])
            #expect(
                (try? decode(M.self, prefix, version)) == nil,
                "v\(version): a \(length)-byte prefix of \(bytes.count) must not decode",
                sourceLocation: sourceLocation)
        }
    }

    /// Checks a hand-built fixture both ways.
    static func checkFixture<M: WireCodec>(
        _ message: M, version: Int16, _ fixture: [UInt8],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            encode(message, version) == fixture, "encodes to the fixture",
            sourceLocation: sourceLocation)
        #expect(
            (try? decode(M.self, fixture, version)) == message, "decodes the fixture",
            sourceLocation: sourceLocation)
    }
}

/// Fixture bytes written by hand from the JSON schemas, independent of WireWriter.
enum Bytes {
    static func i16(_ v: Int16) -> [UInt8] {
        [UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
    }
    static func i32(_ v: Int32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) }
    }
    static func i64(_ v: Int64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) }
    }
    /// STRING: int16 length, UTF-8.
    static func str(_ s: String) -> [UInt8] { i16(Int16(s.utf8.count)) + Array(s.utf8) }
    /// COMPACT_STRING of fewer than 127 bytes: length + 1 as a one-byte varint.
    static func cstr(_ s: String) -> [UInt8] { [UInt8(s.utf8.count + 1)] + Array(s.utf8) }
    static let nullString: [UInt8] = [0xFF, 0xFF]
    static let nullCompact: [UInt8] = [0x00]
    /// BYTES: int32 length.
    static func bytes(_ b: [UInt8]) -> [UInt8] { i32(Int32(b.count)) + b }
    /// COMPACT_BYTES of fewer than 127 bytes.
    static func cbytes(_ b: [UInt8]) -> [UInt8] { [UInt8(b.count + 1)] + b }
    /// ARRAY count: int32.
    static func count(_ n: Int) -> [UInt8] { i32(Int32(n)) }
    /// COMPACT_ARRAY count of fewer than 127: n + 1.
    static func ccount(_ n: Int) -> [UInt8] { [UInt8(n + 1)] }
    static let noTags: [UInt8] = [0x00]
}
