// Test support for ClusterTests: byte helpers and a temporary directory per test.

import Foundation
import NIOCore

@testable import Cluster

func bytes(_ buffer: ByteBuffer) -> [UInt8] { Array(buffer.readableBytesView) }

func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

/// A fresh empty directory under the system temp folder, unique per call.
func temporaryDirectory(_ name: String = "test") -> String {
    let path = NSTemporaryDirectory() + "swiftka-tests-\(name)-\(UInt64.random(in: 0...UInt64.max))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
