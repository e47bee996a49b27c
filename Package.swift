// swift-tools-version:6.1
// swiftka-learn: a terminal classroom for Apache Kafka over a real, embedded,
// Kafka-compatible cluster. Layout and rules: ARCHITECTURE.md and STYLE.md in shared/docs.
import PackageDescription

let package = Package(
    name: "swiftka-learn",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "swiftka-learn", targets: ["SwiftkaLearn"]),
        .library(name: "Cluster", targets: ["Cluster"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        // libedit through a shim: its el_set/el_get/history calls are C-variadic.
        .systemLibrary(name: "CEdit", path: "Sources/CEdit"),
        // CRC-32C with SSE4.2 where the CPU has it (RecordBatch v2 checksums).
        .target(name: "CCRC32C"),
        // zlib through a shim: inflateInit2/deflateInit2 are macros (gzip record batches).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "Cluster",
            dependencies: [
                "CCRC32C",
                "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // Lesson files are data; they are compiled into the binary so that the
        // executable finds them from any working directory and after an install.
        .target(name: "Lessons", path: "Lessons", resources: [.embedInCode("Files")]),
        .target(
            name: "Repl",
            dependencies: [
                "Cluster", "CEdit", "Lessons",
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "SwiftkaLearn",
            dependencies: [
                "Repl", "Cluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: run by hand in release mode, never part of the tests.
        .executableTarget(
            name: "ClusterBench",
            dependencies: ["Cluster", .product(name: "NIOPosix", package: "swift-nio")]
        ),
        // `swift run -c release StorageBench`: storage throughput and start-up figures.
        .executableTarget(
            name: "StorageBench",
            dependencies: ["Cluster", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // Shared by the test targets (a plain target: test targets cannot depend on each other).
        .target(name: "TestTemporaryFiles", path: "Tests/TestTemporaryFiles"),
        .testTarget(
            name: "ClusterTests",
            dependencies: [
                "Cluster", "TestTemporaryFiles",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ReplTests",
            dependencies: ["Repl", "Cluster", "Lessons", "SwiftkaLearn", "TestTemporaryFiles"],
            exclude: ["Transcripts", "Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer harness over every request codec (scripts/fuzz.sh). Declared only when SWIFTKA_FUZZ=1:
// its executable links only against libFuzzer's runtime (`-sanitize=fuzzer`), so a plain
// `swift build` must never see it. The script builds it in its own scratch path, .build-fuzz.
if Context.environment["SWIFTKA_FUZZ"] == "1" {
    package.targets += [
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "FuzzRequests",
            dependencies: ["Cluster", "CFuzzDriver", .product(name: "NIOCore", package: "swift-nio")]
        ),
    ]
}
