// Groups room: what a group answer becomes when the records it promised could not be
// committed: the coordinator's error in every error field that speaks for the write.

import NIOCore

extension GroupResponse {
    /// The same answer refusing what depended on the write. Reads (OffsetFetch, ListGroups,
    /// DescribeGroups) promise nothing and stay as they are.
    func failingWrites(with code: ErrorCode) -> GroupResponse {
        switch self {
        case .joinGroup(var r):
            r.errorCode = code
            return .joinGroup(r)
        case .syncGroup(var r):
            r.errorCode = code
            r.assignment = ByteBuffer()
            return .syncGroup(r)
        case .heartbeat(var r):
            r.errorCode = code
            return .heartbeat(r)
        case .leaveGroup(var r):
            r.errorCode = code
            return .leaveGroup(r)
        case .offsetCommit(var r):
            for t in r.topics.indices {
                for p in r.topics[t].partitions.indices { r.topics[t].partitions[p].errorCode = code }
            }
            return .offsetCommit(r)
        case .deleteGroups(var r):
            for i in r.results.indices { r.results[i].errorCode = code }
            return .deleteGroups(r)
        case .offsetDelete(var r):
            r.errorCode = code
            return .offsetDelete(r)
        case .offsetFetch, .listGroups, .describeGroups:
            return self
        }
    }
}
