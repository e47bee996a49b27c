// Embedded room: brings a data directory written before KRaft (one process-wide
// `cluster-metadata.log`) into the Raft layout, so no learner's topics are dropped on upgrade.

import Foundation
import NIOCore

enum LegacyMetadataConversion {
    static let legacyName = "cluster-metadata.log"

    /// When `<data-dir>/cluster-metadata.log` exists and no node has a metadata log yet, its
    /// records become the first batch (epoch 0) of every voter's `__cluster_metadata-0`; the
    /// old file is kept as `cluster-metadata.log.converted`. Broker registrations are left
    /// out: brokers register afresh with the quorum.
    static func convertIfNeeded(dataDirectory: String, voters: [NodeID], nodeDirectory: (NodeID) -> String) throws(ClusterError) {
        let legacyPath = dataDirectory + "/" + legacyName
        let fm = FileManager.default
        guard fm.fileExists(atPath: legacyPath) else { return }
        let fs = PosixFileSystem()
        let alreadyRaft = voters.contains { id in
            let segment = nodeDirectory(id) + "/" + MetadataLogStore.directoryName + "/" + MetadataLogStore.segmentName
            return ((try? fm.attributesOfItem(atPath: segment)[.size] as? Int) ?? 0) > 0
        }
        guard !alreadyRaft else { return }
        guard let data = fm.contents(atPath: legacyPath) else {
            throw .io("Cannot read \(legacyPath). Start with --fresh to begin a new cluster.")
        }
        let contents = LegacyMetadataLog.decode(ByteBuffer(bytes: data))
        let records = contents.records.filter {
            if case .registerBroker = $0 { return false }
            return true
        }
        do {
            if !records.isEmpty {
                let batch = MetadataBatch(baseOffset: 0, leaderEpoch: 0, content: .records(records))
                for id in voters {
                    var (store, log, _) = try MetadataLogStore.open(fs: fs, nodeDirectory: nodeDirectory(id))
                    guard log.endOffset == 0 else { continue }
                    try store.apply([.append(batch)], timestamp: WallClock.milliseconds())
                    try store.sync()
                    store.close()
                }
            }
            try fs.rename(legacyPath, to: legacyPath + ".converted")
        } catch {
            throw .io("Cannot convert \(legacyPath) to the KRaft metadata log: \(error). Start with --fresh to begin a new cluster.")
        }
    }
}
