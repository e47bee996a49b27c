// Test support for ClusterTests: byte helpers and a temporary directory per test.

import TestTemporaryFiles
import Foundation
import NIOCore

@testable import Cluster

func bytes(_ buffer: ByteBuffer) -> [UInt8] { Array(buffer.readableBytesView) }

func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

/// A fresh empty directory under this process's test root, unique per call. Removed with the
/// root when the process exits, so a test need not clean up after itself (and a failing one
/// cannot leak).
func temporaryDirectory(_ name: String = "test") -> String {
    let path = TestTemporaryRoot.path + "/\(name)-\(UInt64.random(in: 0...UInt64.max))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

