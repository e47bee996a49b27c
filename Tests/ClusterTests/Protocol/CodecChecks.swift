// Protocol tests: the checks every API codec suite shares. Encode, decode, round trip, every
// truncation and seeded random bytes, all on plain byte arrays so fixtures read as bytes.

import NIOCore
import Testing

@testable import Cluster

/// The shared checks behind each `<Api>Tests` suite.
///
/// Decoding here also insists that the body was read to its last byte, so a decoder that
/// stops early (or a fixture with a byte too many) fails instead of passing by accident.
enum CodecChecks {
    static func encode<R: KafkaRequest>(_ value: R, version: Int16) -> [UInt8] {
        var writer = WireWriter()
        value.encode(to: &writer, version: version)
        return Array(writer.buffer.readableBytesView)
    }

    static func encode<R: KafkaResponse>(_ value: R, version: Int16) -> [UInt8] {
        var writer = WireWriter()
        value.encode(to: &writer, version: version)
        return Array(writer.buffer.readableBytesView)
    }

    static func decode<R: KafkaRequest>(_ type: R.Type, _ bytes: [UInt8], version: Int16)
        throws(DecodeError) -> R
    {
        var reader = WireReader(ByteBuffer(bytes: bytes))
        let value = try R(from: &reader, version: version)
        guard reader.isAtEnd else {
            throw .invalid(field: "body", reason: "\(reader.remaining) bytes left over")
        }
        return value
    }

    static func decode<R: KafkaResponse>(_ type: R.Type, _ bytes: [UInt8], version: Int16)
        throws(DecodeError) -> R
    {
        var reader = WireReader(ByteBuffer(bytes: bytes))
        let value = try R(from: &reader, version: version)
        guard reader.isAtEnd else {
            throw .invalid(field: "body", reason: "\(reader.remaining) bytes left over")
        }
        return value
    }

    /// Encode, decode, compare; then encode the decoded value again and compare the bytes.
    static func expectRoundTrip<R: KafkaRequest & Equatable>(
        _ value: R, version: Int16, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let bytes = encode(value, version: version)
        let decoded = try decode(R.self, bytes, version: version)
        #expect(decoded == value, "v\(version)", sourceLocation: sourceLocation)
        #expect(
            encode(decoded, version: version) == bytes, "v\(version)",
            sourceLocation: sourceLocation)
    }

    static func expectRoundTrip<R: KafkaResponse & Equatable>(
        _ value: R, version: Int16, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let bytes = encode(value, version: version)
        let decoded = try decode(R.self, bytes, version: version)
        #expect(decoded == value, "v\(version)", sourceLocation: sourceLocation)
        #expect(
            encode(decoded, version: version) == bytes, "v\(version)",
            sourceLocation: sourceLocation)
    }

    /// Every strict prefix of a valid encoding must throw a DecodeError, never trap or succeed.
    static func expectEveryTruncationThrows<R: KafkaRequest>(
        _ value: R, version: Int16, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let bytes = encode(value, version: version)
        for length in 0..<bytes.count {
            #expect(
                throws: DecodeError.self, "v\(version) cut at \(length)",
                sourceLocation: sourceLocation
            ) { _ = try decode(R.self, Array(bytes[0..<length]), version: version) }
        }
    }

    static func expectEveryTruncationThrows<R: KafkaResponse>(
        _ value: R, version: Int16, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let bytes = encode(value, version: version)
        for length in 0..<bytes.count {
            #expect(
                throws: DecodeError.self, "v\(version) cut at \(length)",
                sourceLocation: sourceLocation
            ) { _ = try decode(R.self, Array(bytes[0..<length]), version: version) }
        }
    }

    /// Seeded random bodies: decoding may succeed or throw, but must return (no trap, no hang).
    static func feedRandomBytes<R: KafkaRequest>(_ type: R.Type, seed: UInt64 = 0x5EED) {
        var state = seed
        for version in R.versions {
            for _ in 0..<200 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let count = Int(state >> 58)
                let bytes: [UInt8] = (0..<count).map { _ in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return UInt8(truncatingIfNeeded: state >> 33)
                }
                _ = try? decode(R.self, bytes, version: version)
                _ = try? decode(R.Response.self, bytes, version: version)
            }
        }
    }

    /// A topic id whose 16 bytes are 0x01...0x10, easy to spot in a fixture.
    static let sampleTopicId = Uuid(
        mostSignificantBits: 0x0102_0304_0506_0708, leastSignificantBits: 0x090A_0B0C_0D0E_0F10)
    static let sampleTopicIdBytes: [UInt8] = Array(1...16)
}
