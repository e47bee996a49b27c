// Groups room: the first error code in a group response, for the broker's request trace
// (`trace on` shows it beside each answered request).

extension GroupResponse {
    /// The first error in the response, for the request trace.
    var firstErrorCode: ErrorCode {
        let codes: [ErrorCode]
        switch self {
        case .joinGroup(let r): codes = [r.errorCode]
        case .syncGroup(let r): codes = [r.errorCode]
        case .heartbeat(let r): codes = [r.errorCode]
        case .leaveGroup(let r): codes = [r.errorCode] + r.members.map(\.errorCode)
        case .offsetCommit(let r): codes = r.topics.flatMap { $0.partitions.map(\.errorCode) }
        case .offsetFetch(let r):
            codes = r.groups.flatMap { g in [g.errorCode] + g.topics.flatMap { $0.partitions.map(\.errorCode) } }
        case .listGroups(let r): codes = [r.errorCode]
        case .describeGroups(let r): codes = r.groups.map(\.errorCode)
        case .deleteGroups(let r): codes = r.results.map(\.errorCode)
        case .offsetDelete(let r): codes = [r.errorCode] + r.topics.flatMap { $0.partitions.map(\.errorCode) }
        }
        return codes.first { $0 != .none } ?? .none
    }
}
