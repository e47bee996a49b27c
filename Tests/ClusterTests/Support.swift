// Test support for ClusterTests: byte helpers and a temporary directory per test.

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

/// One directory per test process for everything ClusterTests write, removed at exit
/// (`atexit`); roots left by test processes that died are removed by the next one.
enum TestTemporaryRoot {
    static let prefix = "swiftka-tests-pid-"

    static let path: String = {
        let base = NSTemporaryDirectory()
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: base)) ?? [] where name.hasPrefix(prefix) {
            // kill(pid, 0) fails with ESRCH only when no such process exists.
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? fm.removeItem(atPath: base + name)
        }
        let root = base + prefix + "\(getpid())"
        try? fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestTemporaryRoot.path) }
        return root
    }()
}
