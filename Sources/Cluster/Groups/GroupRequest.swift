// Groups room: the decoded requests the group coordinator answers, with what it needs to know
// about the client (version, client id and host) besides the body.

/// One request for the group coordinator, already decoded by the broker.
///
/// The bodies are the wire codecs themselves, so nothing is translated twice. The client id
/// and host become a member's `client.id` and `client_host` (DescribeGroups shows them); the
/// version changes behaviour where Kafka's does (MEMBER_ID_REQUIRED from JoinGroup v4).
public struct GroupRequest: Sendable {
    public enum Body: Sendable {
        case joinGroup(JoinGroupRequest)
        case syncGroup(SyncGroupRequest)
        case heartbeat(HeartbeatRequest)
        case leaveGroup(LeaveGroupRequest)
        case offsetCommit(OffsetCommitRequest)
        case offsetFetch(OffsetFetchRequest)
        case listGroups(ListGroupsRequest)
        case describeGroups(DescribeGroupsRequest)
        case deleteGroups(DeleteGroupsRequest)
        case offsetDelete(OffsetDeleteRequest)
    }

    public var correlationId: Int32
    public var apiVersion: Int16
    public var clientId: String
    /// As Kafka prints a client address, e.g. "/127.0.0.1".
    public var clientHost: String
    public var body: Body

    public init(
        correlationId: Int32, apiVersion: Int16, clientId: String, clientHost: String, body: Body
    ) {
        self.correlationId = correlationId
        self.apiVersion = apiVersion
        self.clientId = clientId
        self.clientHost = clientHost
        self.body = body
    }

    /// The request types the group coordinator answers (FindCoordinator is the broker's: it
    /// needs partition leadership). The broker adds these to what ApiVersions advertises.
    public static let handledRequests: [any KafkaRequest.Type] = [
        JoinGroupRequest.self, SyncGroupRequest.self, HeartbeatRequest.self, LeaveGroupRequest.self,
        OffsetCommitRequest.self, OffsetFetchRequest.self, ListGroupsRequest.self,
        DescribeGroupsRequest.self, DeleteGroupsRequest.self, OffsetDeleteRequest.self,
    ]

    /// Decodes a request body for the coordinator, or returns nil when `header` names an API
    /// the coordinator does not answer. Throws for a body that does not decode (the broker
    /// then closes the connection, as Kafka does).
    public static func decode(
        header: RequestHeader, body: inout WireReader, clientHost: String
    ) throws(DecodeError) -> GroupRequest? {
        let v = header.apiVersion
        let decoded: Body
        switch header.apiKey {
        case .joinGroup: decoded = .joinGroup(try JoinGroupRequest(from: &body, version: v))
        case .syncGroup: decoded = .syncGroup(try SyncGroupRequest(from: &body, version: v))
        case .heartbeat: decoded = .heartbeat(try HeartbeatRequest(from: &body, version: v))
        case .leaveGroup: decoded = .leaveGroup(try LeaveGroupRequest(from: &body, version: v))
        case .offsetCommit:
            decoded = .offsetCommit(try OffsetCommitRequest(from: &body, version: v))
        case .offsetFetch: decoded = .offsetFetch(try OffsetFetchRequest(from: &body, version: v))
        case .listGroups: decoded = .listGroups(try ListGroupsRequest(from: &body, version: v))
        case .describeGroups:
            decoded = .describeGroups(try DescribeGroupsRequest(from: &body, version: v))
        case .deleteGroups:
            decoded = .deleteGroups(try DeleteGroupsRequest(from: &body, version: v))
        case .offsetDelete:
            decoded = .offsetDelete(try OffsetDeleteRequest(from: &body, version: v))
        default: return nil
        }
        return GroupRequest(
            correlationId: header.correlationId, apiVersion: v, clientId: header.clientId ?? "",
            clientHost: clientHost, body: decoded)
    }
}
