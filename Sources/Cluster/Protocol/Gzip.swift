// Protocol room: gzip, RecordBatch compression type 1, over the system zlib. Inflating stops at
// a named bound (Limits.decompressedBatchBytesMax), so a small forged batch cannot eat memory.

import CZlib
import NIOCore

/// Why gzip bytes could not be inflated (or, rarely, data could not be deflated).
public enum GzipError: Error, Equatable, Sendable, CustomStringConvertible {
    /// zlib found bytes that are not a gzip or zlib stream (bad header, bad block, bad CRC).
    case corrupt(reason: String)
    /// The input ended before the gzip stream did.
    case truncated
    /// The stream inflates to more than the limit: refused before it is all allocated.
    case tooLarge(limit: Int)
    /// The input is larger than zlib can take in one call (4 GiB).
    case inputTooLarge(size: Int)
    /// zlib could not start or finish for a reason other than the data (out of memory).
    case zlib(code: Int32)

    public var description: String {
        switch self {
        case .corrupt(let reason): return "gzip data is corrupt: \(reason)"
        case .truncated: return "gzip data ends before its stream does"
        case .tooLarge(let limit): return "gzip data inflates to more than \(limit) bytes"
        case .inputTooLarge(let size): return "gzip input of \(size) bytes is too large"
        case .zlib(let code): return "zlib failed with code \(code)"
        }
    }
}

/// gzip compression as Kafka uses it for record batches (`compression.type=gzip`).
///
/// Kafka's Java client wraps the records of a batch in `GZIPOutputStream` and reads them with
/// `GZIPInputStream`; librdkafka and kafka-python write the same RFC 1952 framing. We deflate
/// with gzip framing and inflate gzip or zlib framing (detected from the header), and accept
/// concatenated gzip members as `GZIPInputStream` does. Mirrors Kafka's `GzipCompression`.
public enum Gzip {
    /// zlib's default level, which Kafka's `compression.gzip.level=-1` also means (level 6).
    public static let defaultLevel: Int32 = -1
    /// Output is inflated in steps of this many bytes, so a refused bomb costs at most
    /// `limit` plus one step.
    static let inflateStepBytes = 64 * 1024

    /// Deflates `bytes` into a single gzip member.
    public static func compress(_ bytes: [UInt8], level: Int32 = defaultLevel) throws(GzipError)
        -> [UInt8]
    {
        let result: Result<[UInt8], GzipError> = bytes.withUnsafeBytes {
            compress($0, level: level)
        }
        return try result.get()
    }

    /// Inflates a gzip (or zlib) stream, refusing to produce more than `limit` bytes.
    public static func decompress(
        _ bytes: [UInt8], limit: Int = Limits.decompressedBatchBytesMax
    ) throws(GzipError) -> [UInt8] {
        let result: Result<[UInt8], GzipError> = bytes.withUnsafeBytes {
            decompress($0, limit: limit)
        }
        return try result.get()
    }

    /// Inflates the readable bytes of `buffer`; see `decompress(_:limit:)`.
    public static func decompress(
        _ buffer: ByteBuffer, limit: Int = Limits.decompressedBatchBytesMax
    ) throws(GzipError) -> [UInt8] {
        let result: Result<[UInt8], GzipError> = buffer.withUnsafeReadableBytes {
            decompress($0, limit: limit)
        }
        return try result.get()
    }

    // MARK: - zlib calls

    private static func compress(_ input: UnsafeRawBufferPointer, level: Int32) -> Result<
        [UInt8], GzipError
    > {
        guard let inputCount = UInt32(exactly: input.count) else {
            return .failure(.inputTooLarge(size: input.count))
        }
        var stream = z_stream()
        let started = czlib_deflate_init_gzip(&stream, level)
        guard started == Z_OK else { return .failure(.zlib(code: started)) }
        defer { deflateEnd(&stream) }
        // deflateBound covers the worst case, so one Z_FINISH call always completes.
        let bound = Int(deflateBound(&stream, uLong(inputCount)))
        var output = [UInt8](repeating: 0, count: bound)
        let status: Int32 = output.withUnsafeMutableBufferPointer { out in
            stream.next_in = input.baseAddress.map {
                UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
            }
            stream.avail_in = uInt(inputCount)
            stream.next_out = out.baseAddress
            stream.avail_out = uInt(out.count)
            return deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else { return .failure(.zlib(code: status)) }
        output.removeLast(Int(stream.avail_out))
        return .success(output)
    }

    private static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) -> Result<
        [UInt8], GzipError
    > {
        guard let inputCount = UInt32(exactly: input.count) else {
            return .failure(.inputTooLarge(size: input.count))
        }
        var stream = z_stream()
        let started = czlib_inflate_init_auto(&stream)
        guard started == Z_OK else { return .failure(.zlib(code: started)) }
        defer { inflateEnd(&stream) }
        stream.next_in = input.baseAddress.map {
            UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
        }
        stream.avail_in = uInt(inputCount)
        var output: [UInt8] = []
        var step = [UInt8](repeating: 0, count: inflateStepBytes)
        while true {
            let (status, produced) = step.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let status = inflate(&stream, Z_NO_FLUSH)
                return (status, out.count - Int(stream.avail_out))
            }
            guard produced <= limit - output.count else { return .failure(.tooLarge(limit: limit)) }
            output.append(contentsOf: step[0..<produced])
            switch status {
            case Z_STREAM_END:
                if stream.avail_in == 0 { return .success(output) }
                // Another gzip member follows, as GZIPInputStream allows.
                let reset = inflateReset(&stream)
                guard reset == Z_OK else { return .failure(.zlib(code: reset)) }
            case Z_OK:
                // No input left and nothing produced: the stream was cut short.
                if stream.avail_in == 0 && produced == 0 { return .failure(.truncated) }
            case Z_BUF_ERROR:
                return .failure(.truncated)
            case Z_DATA_ERROR, Z_NEED_DICT:
                let reason = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                return .failure(.corrupt(reason: reason))
            default:
                return .failure(.zlib(code: status))
            }
        }
    }
}
