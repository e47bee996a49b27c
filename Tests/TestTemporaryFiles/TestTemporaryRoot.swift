// Test support shared by every test target: one temporary directory per test process,
// removed at exit, so tests need not clean up and a failing one cannot leak.

import Foundation

/// One directory per test process for everything the tests write, removed at exit
/// (`atexit`); roots left by test processes that died are removed by the next one.
public enum TestTemporaryRoot {
    public static let prefix = "swiftka-tests-pid-"

    public static let path: String = {
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

    /// A path under the root, unique per call (nothing is created there).
    public static func unique(_ name: String) -> String {
        path + "/\(name)-\(UInt64.random(in: 0...UInt64.max))"
    }
}
