// Controller room: leader elections asked for (ElectLeaders, kafka-leader-election.sh) and
// those the controller runs by itself on its tick: preferred leaders back after
// leader.imbalance.check.interval.seconds, unclean elections for leaderless partitions after
// unclean.leader.election.interval.ms. Kafka's ReplicationControlManager.electLeaders,
// maybeBalancePartitionLeaders and maybeElectUncleanLeaders.

extension QuorumController {
    /// The outcome of one partition's election: the answer for ElectLeaders and, when a
    /// leader changes, the record that says so.
    struct ElectionOutcome {
        var errorCode: ErrorCode
        var errorMessage: String?
        var change: PartitionChangeRecord?
    }

    // MARK: - ElectLeaders

    /// Decides ElectLeaders (Kafka's `ReplicationControlManager.electLeaders`).
    ///
    /// Per partition: ELECTION_NOT_NEEDED when the preferred replica already leads (PREFERRED)
    /// or any replica leads (UNCLEAN); PREFERRED_LEADER_NOT_AVAILABLE or
    /// ELIGIBLE_LEADERS_NOT_AVAILABLE when no one can take over; UNKNOWN_TOPIC_OR_PARTITION.
    /// A null partition list means every partition, and then the answer leaves out those that
    /// needed no election, as Kafka's does. An unknown election type fails the whole request
    /// with INVALID_REQUEST.
    public func handleElectLeaders(
        _ r: ElectLeadersRequest
    ) -> ControllerResult<ElectLeadersResponse> {
        guard isActive else {
            return ControllerResult(
                response: Self.electLeadersFailure(
                    r, .notController, "This node is not the active controller."))
        }
        guard r.electionType.isKnown else {
            return ControllerResult(
                response: Self.electLeadersFailure(
                    r, .invalidRequest, "Unknown election type \(r.electionType.rawValue)"))
        }
        var results: [ElectLeadersResponse.ReplicaElectionResult] = []
        var changes: [(TopicPartition, PartitionChangeRecord)] = []
        var decided: [TopicPartition: ElectionOutcome] = [:]
        func elect(_ topic: String, _ partition: Int32) -> ElectionOutcome {
            let key = TopicPartition(topic, partition)
            if let earlier = decided[key] { return earlier }  // named twice: one election
            let outcome = Self.electLeader(topic, partition, r.electionType, in: image)
            decided[key] = outcome
            if let change = outcome.change { changes.append((key, change)) }
            return outcome
        }
        if let asked = r.topicPartitions {
            for topic in asked {
                let partitions = topic.partitions.map { index in
                    let o = elect(topic.topic, index)
                    return ElectLeadersResponse.PartitionResult(
                        partitionId: index, errorCode: o.errorCode, errorMessage: o.errorMessage)
                }
                results.append(.init(topic: topic.topic, partitionResult: partitions))
            }
        } else {
            for name in image.topicNames {
                let count = image.topic(name)?.partitions.count ?? 0
                let partitions = (0..<Int32(count)).compactMap { index in
                    let o = elect(name, index)
                    return o.errorCode == .electionNotNeeded
                        ? nil
                        : ElectLeadersResponse.PartitionResult(
                            partitionId: index, errorCode: o.errorCode, errorMessage: o.errorMessage
                        )
                }
                results.append(.init(topic: name, partitionResult: partitions))
            }
        }
        var draft = ControllerDraft(image)
        Self.append(changes, as: r.electionType, trigger: .requested, to: &draft)
        return draft.result(ElectLeadersResponse(replicaElectionResults: results))
    }

    /// The answer when the request as a whole fails: the code at the top (v1+) and on every
    /// partition it named (Kafka's `ElectLeadersRequest.getErrorResponse`).
    static func electLeadersFailure(
        _ r: ElectLeadersRequest, _ code: ErrorCode, _ message: String
    ) -> ElectLeadersResponse {
        ElectLeadersResponse(
            errorCode: code,
            replicaElectionResults: (r.topicPartitions ?? []).map { topic in
                .init(
                    topic: topic.topic,
                    partitionResult: topic.partitions.map {
                        .init(partitionId: $0, errorCode: code, errorMessage: message)
                    })
            })
    }

    /// One partition's election of `type` against `image` (Kafka's `electLeader`), with the
    /// error messages a Kafka controller sends.
    static func electLeader(
        _ topic: String, _ index: Int32, _ type: ElectionType, in image: MetadataImage
    ) -> ElectionOutcome {
        guard let topicImage = image.topic(topic) else {
            return ElectionOutcome(
                errorCode: .unknownTopicOrPartition, errorMessage: "No such topic as \(topic)")
        }
        guard let partition = image.partition(topic, index) else {
            return ElectionOutcome(
                errorCode: .unknownTopicOrPartition,
                errorMessage: "No such partition as \(topic)-\(index)")
        }
        if (type == .preferred && partition.hasPreferredLeader)
            || (type == .unclean && partition.leader != nil)
        {
            return refusal(.electionNotNeeded)
        }
        var builder = PartitionChangeBuilder(partition, topicId: topicImage.id) {
            isActiveBroker($0, in: image)
        }
        builder.election = type == .unclean ? .unclean : .preferred
        guard let change = builder.build() else {
            return refusal(
                type == .preferred ? .preferredLeaderNotAvailable : .eligibleLeadersNotAvailable)
        }
        return ElectionOutcome(errorCode: .none, change: change)
    }

    /// Kafka's `new ApiError(error)`: the code with its default message.
    private static func refusal(_ code: ErrorCode) -> ElectionOutcome {
        ElectionOutcome(errorCode: code, errorMessage: code.explanation)
    }

    /// Appends the records of elections that changed leaders, after the event that says what
    /// ran them, so the learner reads the reason before each move.
    private static func append(
        _ changes: [(TopicPartition, PartitionChangeRecord)], as type: ElectionType,
        trigger: ElectionTrigger, to draft: inout ControllerDraft
    ) {
        guard !changes.isEmpty else { return }
        draft.events.append(.leadersElected(type, trigger: trigger, partitions: changes.map(\.0)))
        for (_, change) in changes { draft.append(.partitionChange(change)) }
    }

    // MARK: - Checks on the tick

    /// How soon a check runs again after one that stopped at `Limits.electionsPerImbalanceMax`
    /// (Kafka reschedules such an event 10 ms out, behind what is already queued).
    static let electionCheckRetry: Duration = .milliseconds(10)

    /// When the preferred-leader check wants a tick: its scheduled time, or at once when the
    /// cluster is imbalanced and nothing is scheduled yet, so that the tick schedules it from
    /// now (Kafka's `maybeScheduleNextBalancePartitionLeaders`, run after every write).
    var leaderBalanceDeadline: Instant? {
        if let due = leaderBalanceCheckAt { return due }
        guard config.autoLeaderRebalanceEnable, !imbalancedPartitions.isEmpty else { return nil }
        return .zero
    }

    /// The same for the unclean-election check, wanted while some partition has no leader
    /// (Kafka's `maybeScheduleNextElectUncleanLeaders`).
    var uncleanElectionDeadline: Instant? {
        if let due = uncleanElectionCheckAt { return due }
        return hasLeaderlessPartitions ? .zero : nil
    }

    /// Kafka's `areSomePartitionsLeaderless`; a leaderless partition is always imbalanced.
    var hasLeaderlessPartitions: Bool {
        imbalancedPartitions.contains { image.partition($0.topic, $0.partition)?.leader == nil }
    }

    /// Forgets the schedule, as Kafka cancels these events when a controller resigns.
    mutating func resetElectionChecks() {
        leaderBalanceCheckAt = nil
        leaderBalanceAgainSoon = false
        uncleanElectionCheckAt = nil
        uncleanElectionAgainSoon = false
    }

    /// Runs each check that is due, else schedules one that is wanted. A check that ran is
    /// scheduled again only once its records are replayed and show it is still wanted.
    mutating func runElectionChecks(now: Instant, in draft: inout ControllerDraft) {
        if let due = leaderBalanceCheckAt, now >= due {
            leaderBalanceCheckAt = nil
            if config.autoLeaderRebalanceEnable && !imbalancedPartitions.isEmpty {
                leaderBalanceAgainSoon = balancePartitionLeaders(in: &draft)
            }
        } else if leaderBalanceCheckAt == nil && leaderBalanceDeadline != nil {
            leaderBalanceCheckAt =
                now
                + (leaderBalanceAgainSoon
                    ? Self.electionCheckRetry : config.leaderImbalanceCheckInterval)
        }
        if let due = uncleanElectionCheckAt, now >= due {
            uncleanElectionCheckAt = nil
            if hasLeaderlessPartitions {
                uncleanElectionAgainSoon = electUncleanLeaders(in: &draft)
            }
        } else if uncleanElectionCheckAt == nil && uncleanElectionDeadline != nil {
            uncleanElectionCheckAt =
                now
                + (uncleanElectionAgainSoon
                    ? Self.electionCheckRetry : config.uncleanLeaderElectionCheckInterval)
        }
    }

    /// The automatic preferred-leader election: for each broker that is the preferred replica
    /// of partitions it does not lead, once more than `leader.imbalance.per.broker.percentage`
    /// of its preferred partitions are led elsewhere (or by no one), move back those whose
    /// preferred replica is in the ISR and may lead. Returns whether it stopped at the limit.
    ///
    /// The percentage is the rule Kafka documents for `auto.leader.rebalance.enable` and its
    /// ZooKeeper-era controller applied (`checkAndTriggerAutoLeaderRebalance`); Kafka's KRaft
    /// controller (`maybeBalancePartitionLeaders`) moves every such partition.
    func balancePartitionLeaders(in draft: inout ControllerDraft) -> Bool {
        let image = draft.image
        var preferredCount: [NodeID: Int] = [:]
        var ledElsewhere: [NodeID: [PartitionRef]] = [:]
        for ref in Self.partitions(in: image, where: { $0.preferredReplica != nil }) {
            guard let preferred = ref.partition.preferredReplica else { continue }
            preferredCount[preferred, default: 0] += 1
            if ref.partition.leader != preferred {
                ledElsewhere[preferred, default: []].append(ref)
            }
        }
        var changes: [(TopicPartition, PartitionChangeRecord)] = []
        for broker in ledElsewhere.keys.sorted() {
            let away = ledElsewhere[broker] ?? []
            let total = preferredCount[broker] ?? 0
            guard away.count * 100 > config.leaderImbalancePerBrokerPercentage * total else {
                continue
            }
            for ref in away where changes.count < Limits.electionsPerImbalanceMax {
                var builder = PartitionChangeBuilder(ref.partition, topicId: ref.topicId) {
                    Self.isActiveBroker($0, in: image)
                }
                builder.election = .preferred
                // Only a move to the preferred replica (Kafka's canPreferredReplicaBeLeader).
                guard builder.electLeader().leader == broker, let change = builder.build() else {
                    continue
                }
                changes.append((TopicPartition(ref.topic, ref.partition.partition), change))
            }
        }
        Self.append(changes, as: .preferred, trigger: .leaderImbalanceCheck, to: &draft)
        return changes.count >= Limits.electionsPerImbalanceMax
    }

    /// Kafka's `maybeElectUncleanLeaders`: an UNCLEAN election for each leaderless partition
    /// of a topic with `unclean.leader.election.enable=true`. Returns whether it stopped at the
    /// limit.
    func electUncleanLeaders(in draft: inout ControllerDraft) -> Bool {
        let image = draft.image
        var changes: [(TopicPartition, PartitionChangeRecord)] = []
        for ref in Self.partitions(in: image, where: { $0.leader == nil })
        where changes.count < Limits.electionsPerImbalanceMax
            && Self.uncleanLeaderElectionEnabled(ref.topic, in: image)
        {
            let index = ref.partition.partition
            if let change = Self.electLeader(ref.topic, index, .unclean, in: image).change {
                changes.append((TopicPartition(ref.topic, index), change))
            }
        }
        Self.append(changes, as: .unclean, trigger: .leaderlessPartitionCheck, to: &draft)
        return changes.count >= Limits.electionsPerImbalanceMax
    }
}
