// Groups room: the answers the group coordinator produces, now or later, as wire codec values
// the broker encodes at the version of the request they answer.

import NIOCore

/// One answer from the group coordinator; its case matches the request's.
public enum GroupResponse: Sendable, Equatable {
    case joinGroup(JoinGroupResponse)
    case syncGroup(SyncGroupResponse)
    case heartbeat(HeartbeatResponse)
    case leaveGroup(LeaveGroupResponse)
    case offsetCommit(OffsetCommitResponse)
    case offsetFetch(OffsetFetchResponse)
    case listGroups(ListGroupsResponse)
    case describeGroups(DescribeGroupsResponse)
    case deleteGroups(DeleteGroupsResponse)
    case offsetDelete(OffsetDeleteResponse)

    /// The API this answers.
    public var apiKey: ApiKey {
        switch self {
        case .joinGroup: return .joinGroup
        case .syncGroup: return .syncGroup
        case .heartbeat: return .heartbeat
        case .leaveGroup: return .leaveGroup
        case .offsetCommit: return .offsetCommit
        case .offsetFetch: return .offsetFetch
        case .listGroups: return .listGroups
        case .describeGroups: return .describeGroups
        case .deleteGroups: return .deleteGroups
        case .offsetDelete: return .offsetDelete
        }
    }

    /// Encodes the body at `version` (the request's version).
    public func encode(to writer: inout WireWriter, version: Int16) {
        switch self {
        case .joinGroup(let r): r.encode(to: &writer, version: version)
        case .syncGroup(let r): r.encode(to: &writer, version: version)
        case .heartbeat(let r): r.encode(to: &writer, version: version)
        case .leaveGroup(let r): r.encode(to: &writer, version: version)
        case .offsetCommit(let r): r.encode(to: &writer, version: version)
        case .offsetFetch(let r): r.encode(to: &writer, version: version)
        case .listGroups(let r): r.encode(to: &writer, version: version)
        case .describeGroups(let r): r.encode(to: &writer, version: version)
        case .deleteGroups(let r): r.encode(to: &writer, version: version)
        case .offsetDelete(let r): r.encode(to: &writer, version: version)
        }
    }

    /// The whole response frame (size, response header, body) for a request of `version`
    /// with `correlationId`: the header version follows the API's flexible versions.
    public func responseFrame(version: Int16, correlationId: Int32) -> ByteBuffer {
        func frame<R: KafkaRequest>(_ type: R.Type, _ body: R.Response) -> ByteBuffer {
            RequestFraming.responseFrame(
                type, version: version, correlationId: correlationId, body: body)
        }
        switch self {
        case .joinGroup(let r): return frame(JoinGroupRequest.self, r)
        case .syncGroup(let r): return frame(SyncGroupRequest.self, r)
        case .heartbeat(let r): return frame(HeartbeatRequest.self, r)
        case .leaveGroup(let r): return frame(LeaveGroupRequest.self, r)
        case .offsetCommit(let r): return frame(OffsetCommitRequest.self, r)
        case .offsetFetch(let r): return frame(OffsetFetchRequest.self, r)
        case .listGroups(let r): return frame(ListGroupsRequest.self, r)
        case .describeGroups(let r): return frame(DescribeGroupsRequest.self, r)
        case .deleteGroups(let r): return frame(DeleteGroupsRequest.self, r)
        case .offsetDelete(let r): return frame(OffsetDeleteRequest.self, r)
        }
    }
}
