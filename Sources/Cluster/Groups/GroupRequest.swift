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
}
