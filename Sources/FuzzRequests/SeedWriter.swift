// Fuzz harness: writes seed corpora, one file per valid frame: every API at every supported
// version (requests, and request headers before response bodies), raw batches and requests
// naming the template's state; frames whose strings sit at the length limit, fuzzed apart
// because long inputs slow every run; and scripted request sequences.

import Cluster
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// `FuzzRequests --write-seeds DIR`: gives libFuzzer a start from real frames instead of
/// having it discover header layouts, version numbers and CRCs byte by byte.
enum SeedWriter {
    /// The frames corpus: every API and version, batches, ApiVersions at an unknown version,
    /// and requests that reach the template's topics, group and producers.
    static var frameSeeds: [(name: String, frame: ByteBuffer)] {
        var seeds: [(name: String, frame: ByteBuffer)] = FuzzCatalog.codecs.flatMap { $0.seeds() }
        seeds += FuzzSamples.recordBlobs.map { ($0.name, $0.bytes) }
        // ApiVersions at a version we do not know: answered, not closed.
        var unknown = WireWriter()
        RequestHeader(apiKey: .apiVersions, apiVersion: 99, correlationId: 7, clientId: "fuzz-seed")
            .encode(to: &unknown, headerVersion: 2)
        seeds.append(("request-ApiVersions-v99", unknown.buffer))
        seeds += FuzzStateSamples.singleFrames
        return seeds
    }

    /// The sequence corpus: the scripted sequences, and each state request alone.
    static var sequenceSeeds: [(name: String, frame: ByteBuffer)] {
        var seeds = FuzzStateSamples.sequences.map { name, steps in
            ("sequence-\(name)", FuzzSequence.join(steps.map { ($0.step, $0.frame) }))
        }
        seeds += FuzzStateSamples.singleFrames.map { name, frame in
            (name, FuzzSequence.join([(0, frame)]))
        }
        return seeds
    }

    /// Writes `seeds` into `directory` (created if missing); returns the exit status.
    static func write(_ seeds: [(name: String, frame: ByteBuffer)], to directory: String) -> Int32 {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            print("cannot create \(directory): errno \(errno)")
            return 1
        }
        for seed in seeds {
            guard writeFile("\(directory)/seed-\(seed.name)", seed.frame) else {
                print("cannot write \(directory)/seed-\(seed.name)")
                return 1
            }
        }
        print("wrote \(seeds.count) seeds to \(directory)")
        return 0
    }

    private static func writeFile(_ path: String, _ bytes: ByteBuffer) -> Bool {
        guard let file = fopen(path, "wb") else { return false }
        defer { fclose(file) }
        let count = bytes.readableBytes
        return bytes.withUnsafeReadableBytes { raw in
            count == 0 || fwrite(raw.baseAddress, 1, count, file) == count
        }
    }
}
