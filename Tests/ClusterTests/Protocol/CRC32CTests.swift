// Protocol tests: CRC-32C. Goal: the hardware path (three interleaved streams on long inputs)
// and the slice-by-8 table agree with the standard check value and with each other on every
// length and alignment.

import Testing

@testable import Cluster

@Suite struct CRC32CTests {
    @Test("the check value of \"123456789\" is 0xE3069283")
    func checkValue() {
        let bytes = Array("123456789".utf8)
        #expect(CRC32C.checksum(bytes) == 0xE306_9283)
        #expect(bytes.withUnsafeBytes { CRC32C.software($0) } == 0xE306_9283)
    }

    @Test("hardware and table agree on every length and alignment up to 100 bytes")
    func pathsAgree() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let data: [UInt8] = (0..<128).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        data.withUnsafeBytes { raw in
            for start in 0..<8 {
                for length in 0...100 {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    #expect(CRC32C.checksum(slice) == CRC32C.software(slice))
                }
            }
        }
    }

    @Test("hardware and table agree on long inputs, across the three-stream block sizes")
    func longInputsAgree() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        let data: [UInt8] = (0..<70_000).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        let lengths = [
            191, 192, 193, 1_535, 1_536, 1_537, 1_727, 3_072, 12_287, 12_288, 12_289, 13_824, 16_352, 24_576, 65_536,
            69_990,
        ]
        data.withUnsafeBytes { raw in
            for start in [0, 3, 8] {
                for length in lengths {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    #expect(CRC32C.checksum(slice) == CRC32C.software(slice), "length \(length)")
                    #expect(
                        CRC32C.checksum(slice, continuing: 0xDEAD_BEEF)
                            == CRC32C.software(slice, continuing: 0xDEAD_BEEF))
                }
            }
        }
    }

    @Test("continuing a checksum equals checksumming the concatenation")
    func continuation() {
        let a = Array("hello, ".utf8), b = Array("kafka".utf8)
        #expect(CRC32C.checksum(b, continuing: CRC32C.checksum(a)) == CRC32C.checksum(a + b))
    }
}
