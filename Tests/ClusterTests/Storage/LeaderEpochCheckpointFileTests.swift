// Storage tests: the `leader-epoch-checkpoint` file. Goal: Kafka's exact bytes, a round trip
// through a file system with no `.tmp` left behind, and malformed files refused.

import NIOCore
import Testing

@testable import Cluster

@Suite struct LeaderEpochCheckpointFileTests {
    @Test(
        "the file is '0', the count, then '<epoch> <startOffset>' lines, each ending in a newline")
    func format() {
        let entries = [
            EpochEntry(epoch: 0, startOffset: 0), EpochEntry(epoch: 3, startOffset: 120),
            EpochEntry(epoch: 12, startOffset: 9_876_543_210),
        ]
        #expect(
            LeaderEpochCheckpointFile.encode(entries) == "0\n3\n0 0\n3 120\n12 9876543210\n")
        #expect(LeaderEpochCheckpointFile.encode([]) == "0\n0\n")
    }

    @Test("written into a partition directory, it holds exactly those bytes and reads back")
    func roundTrip() throws {
        let fs = MemoryFileSystem()
        let directory = "/data/node-1/orders-0"
        try fs.makeDirectory(directory)
        #expect(try LeaderEpochCheckpointFile.read(in: directory, fs: fs) == nil)
        let entries = [
            EpochEntry(epoch: 1, startOffset: 0), EpochEntry(epoch: 4, startOffset: 17),
        ]
        try LeaderEpochCheckpointFile.write(entries, in: directory, fs: fs)
        #expect(
            fs.contents(of: directory + "/leader-epoch-checkpoint")
                == Array("0\n2\n1 0\n4 17\n".utf8))
        #expect(!fs.exists(directory + "/leader-epoch-checkpoint.tmp"))
        #expect(try LeaderEpochCheckpointFile.read(in: directory, fs: fs) == entries)
    }

    @Test(
        "Kafka's reader: empty is no entries, any whitespace separates, bad files are refused",
        arguments: [
            ("", true, 0), ("0\n", true, 0), ("0\n0\n", true, 0), ("0\n1\n3\t40\n", true, 1),
            ("0\n1\n3  40", true, 1),
            ("1\n0\n", false, 0), ("0\n2\n3 40\n", false, 0), ("0\n1\n3\n", false, 0),
            ("0\n1\nx 40\n", false, 0), ("0\n1\n3 40 5\n", false, 0), ("0\n1\n-1 40\n", false, 0),
            ("0\n1\n3 -40\n", false, 0), ("0\nmany\n", false, 0), ("zero\n", false, 0),
        ])
    func decode(text: String, accepted: Bool, count: Int) {
        let result = Result { () throws(StorageError) in
            try LeaderEpochCheckpointFile.decode(text, path: "leader-epoch-checkpoint")
        }
        switch result {
        case .success(let entries):
            #expect(accepted, "accepted \(text.debugDescription)")
            #expect(entries.count == count)
        case .failure(let error):
            #expect(!accepted, "refused \(text.debugDescription): \(error)")
            #expect(error.errorCode == .kafkaStorageError)
        }
    }
}
