// Client room: the group consumer's way to its coordinator: FindCoordinator (key type 0),
// a connection of its own to that broker, requests over it, and LeaveGroup.

extension GroupConsumer {
    /// The connection to the coordinator, finding the coordinator first when unknown.
    func coordinatorChannel() async throws -> BrokerConnection {
        if let connection = coordinatorConnection, connection.isActive,
            membership.coordinator != nil
        {
            return connection
        }
        if membership.coordinator == nil || coordinatorAddress == nil {
            try await findCoordinator()
        }
        guard let nodeId = membership.coordinator, let address = coordinatorAddress else {
            throw KafkaClientError.broker(
                .coordinatorNotAvailable, context: "FindCoordinator", message: nil)
        }
        let opened = try await BrokerConnection.open(
            nodeId: nodeId, host: address.host, port: address.port, config: client.config,
            group: client.group)
        if stopped && !leaving {
            // Killed while connecting: a crashed process sends nothing more.
            await opened.close()
            throw KafkaClientError.closed
        }
        if let other = coordinatorConnection, other.isActive, membership.coordinator == nodeId {
            // Another call opened one while we waited; keep theirs.
            await opened.close()
            return other
        }
        let old = coordinatorConnection
        coordinatorConnection = opened
        await old?.close()
        return opened
    }

    /// Asks any broker which one coordinates `group.id`. Mirrors Kafka's
    /// `AbstractCoordinator.lookupCoordinator`.
    func findCoordinator() async throws {
        let groupId = config.groupId
        let (response, version) = try await client.sendToAny { _ in
            FindCoordinatorRequest(
                key: groupId, keyType: FindCoordinatorRequest.keyTypeGroup,
                coordinatorKeys: [groupId])
        }
        let answer: FindCoordinatorResponse.Coordinator
        if version >= 4 {
            guard let first = response.coordinators.first(where: { $0.key == groupId }) else {
                throw KafkaClientError.broker(
                    .coordinatorNotAvailable, context: "FindCoordinator",
                    message: "no answer for group \(groupId)")
            }
            answer = first
        } else {
            answer = FindCoordinatorResponse.Coordinator(
                key: groupId, nodeId: response.nodeId, host: response.host, port: response.port,
                errorCode: response.errorCode, errorMessage: response.errorMessage)
        }
        guard answer.errorCode == .none else {
            throw KafkaClientError.broker(
                answer.errorCode, context: "FindCoordinator for group \(groupId)",
                message: answer.errorMessage)
        }
        guard let port = Int(exactly: answer.port), (1...65_535).contains(port) else {
            throw KafkaClientError.protocolError(
                broker: answer.nodeId, "FindCoordinator gave port \(answer.port)")
        }
        let changed = membership.coordinator != answer.nodeId
        membership.coordinator = answer.nodeId
        coordinatorAddress = (answer.host, port)
        if changed { emit(.coordinatorFound(nodeId: answer.nodeId)) }
    }

    /// Sends a request to the coordinator. A network failure or timeout, connecting or
    /// waiting for the answer, forgets the coordinator, so the next call looks it up again
    /// (Kafka's `markCoordinatorUnknown`): a killed coordinator's broker refuses connections
    /// until its group moves elsewhere.
    func sendToCoordinator<R: KafkaRequest>(
        _ request: R, extraTimeout: Duration = .zero
    ) async throws -> R.Response {
        guard !stopped || leaving else { throw KafkaClientError.closed }
        do {
            let connection = try await coordinatorChannel()
            guard !stopped || leaving else { throw KafkaClientError.closed }
            let answer = try await client.send(on: connection, extraTimeout: extraTimeout) { _ in
                request
            }
            return answer.response
        } catch let error as KafkaClientError {
            switch error {
            case .network, .timedOut:
                coordinatorUnknown()
            default:
                break
            }
            throw error
        }
    }

    /// Forgets the coordinator and its connection.
    func coordinatorUnknown() {
        membership.coordinator = nil
        coordinatorAddress = nil
        let connection = coordinatorConnection
        coordinatorConnection = nil
        if let connection { Task { await connection.close() } }
    }

    /// LeaveGroup for this member on a fresh connection (the old one may hold a parked
    /// JoinGroup). Returns whether the coordinator accepted it.
    func sendLeaveGroup(reason: String) async throws -> Bool {
        if let old = coordinatorConnection {
            coordinatorConnection = nil
            await old.close()
        }
        let identity = LeaveGroupRequest.MemberIdentity(
            memberId: membership.memberId, groupInstanceId: membership.groupInstanceId,
            reason: reason)
        let response = try await sendToCoordinator(
            LeaveGroupRequest(groupId: config.groupId, members: [identity]))
        let connection = coordinatorConnection
        coordinatorConnection = nil
        await connection?.close()
        let memberCode = response.members.first?.errorCode ?? .none
        return response.errorCode == .none && memberCode == .none
    }
}
