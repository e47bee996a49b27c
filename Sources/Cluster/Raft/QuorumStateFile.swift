// Raft room: the `quorum-state` file, in the JSON shape Kafka writes, so a restarted voter keeps
// its epoch and its vote. Written atomically (tmp + rename), read back tolerantly.

import NIOCore

/// Reads and writes `quorum-state` (Kafka's `FileQuorumStateStore`, data_version 0).
public enum QuorumStateFile {
    public static let name = "quorum-state"

    public static func encode(_ state: QuorumStateData, clusterId: String, voters: [NodeID]) -> String {
        let voterList = voters.map { "{\"voterId\":\($0.rawValue)}" }.joined(separator: ",")
        return "{\"clusterId\":\"\(clusterId)\",\"leaderId\":\(state.leaderId?.rawValue ?? -1),"
            + "\"leaderEpoch\":\(state.leaderEpoch),\"votedId\":\(state.votedId?.rawValue ?? -1),"
            + "\"appliedOffset\":0,\"currentVoters\":[\(voterList)],\"data_version\":0}"
    }

    /// The state in `text`, or nil when a field is missing or not a number.
    public static func decode(_ text: String) -> QuorumStateData? {
        func number(_ key: String) -> Int64? {
            guard let range = text.range(of: "\"\(key)\":") else { return nil }
            let digits = text[range.upperBound...].prefix { $0 == "-" || $0.isNumber }
            return Int64(digits)
        }
        guard let epoch = number("leaderEpoch").flatMap({ Int32(exactly: $0) }),
            let leader = number("leaderId").flatMap({ Int32(exactly: $0) }),
            let voted = number("votedId").flatMap({ Int32(exactly: $0) })
        else { return nil }
        return QuorumStateData(
            leaderEpoch: epoch, leaderId: leader >= 0 ? NodeID(leader) : nil, votedId: voted >= 0 ? NodeID(voted) : nil)
    }

    public static func write(
        _ state: QuorumStateData, clusterId: String, voters: [NodeID], nodeDirectory: String, fs: any FileSystem
    ) throws(StorageError) {
        let text = encode(state, clusterId: clusterId, voters: voters)
        try fs.writeAtomically(nodeDirectory + "/" + name, ByteBuffer(string: text))
    }

    /// The stored state; a missing file is a new node. A file that does not parse is an error:
    /// guessing could make a voter vote twice in one epoch.
    public static func read(nodeDirectory: String, fs: any FileSystem) throws(StorageError) -> QuorumStateData {
        let path = nodeDirectory + "/" + name
        guard fs.exists(path) else { return QuorumStateData() }
        let bytes = try fs.readWholeFile(path, limit: 64 << 10)
        guard let state = decode(String(buffer: bytes)) else {
            throw .malformedFile(path: path, reason: "not a quorum-state file")
        }
        return state
    }
}
