// Controller room: IncrementalAlterConfigs and the legacy AlterConfigs for topic configs. The
// merged result must pass TopicConfigs; only keys whose value really changes get a record.

extension QuorumController {
    /// Topic configs that hold a comma-separated list, so APPEND and SUBTRACT apply.
    static let listConfigs: Set<String> = ["cleanup.policy"]

    /// Decides IncrementalAlterConfigs (Kafka's `ConfigurationControlManager
    /// .incrementalAlterConfigs`): SET, DELETE, and APPEND / SUBTRACT on list configs, each
    /// resource alone. With `validateOnly` no records come back.
    public mutating func handleIncrementalAlterConfigs(
        _ r: IncrementalAlterConfigsRequest
    ) -> ControllerResult<IncrementalAlterConfigsResponse> {
        let result = decideConfigs(r.resources.map { ($0.resourceType, $0.resourceName, $0.configs) }, validateOnly: r.validateOnly) {
            configs, topic throws(Refusal) in try Self.incrementalChanges(configs, current: topic.configs)
        }
        return result.map { IncrementalAlterConfigsResponse(responses: $0) }
    }

    /// Decides the legacy AlterConfigs: the given set replaces the topic's overrides whole, so
    /// keys left out go back to their defaults (a null value removes one too).
    public mutating func handleAlterConfigs(
        _ r: AlterConfigsRequest
    ) -> ControllerResult<AlterConfigsResponse> {
        let result = decideConfigs(r.resources.map { ($0.resourceType, $0.resourceName, $0.configs) }, validateOnly: r.validateOnly) {
            configs, topic throws(Refusal) in
            var changes: [String: String?] = [:]
            for key in topic.configs.keys { changes[key] = .some(nil) }
            for config in configs { changes[config.name] = .some(config.value) }
            return changes
        }
        return result.map { AlterConfigsResponse(responses: $0) }
    }

    /// The part both config APIs share: per resource, find the topic, work out the changes,
    /// validate and record them; one answer per resource.
    private mutating func decideConfigs<Config>(
        _ resources: [(type: Int8, name: String, configs: [Config])], validateOnly: Bool,
        changes: ([Config], TopicImage) throws(Refusal) -> [String: String?]
    ) -> ControllerResult<[AlterConfigsResourceResponse]> {
        guard isActive else {
            return ControllerResult(response: resources.map {
                .init(errorCode: .notController, resourceType: $0.type, resourceName: $0.name)
            })
        }
        var draft = ControllerDraft(image)
        let answers = resources.map { resource in
            answer(resource.type, resource.name) { () throws(Refusal) in
                let topic = try Self.configurableTopic(resource.type, resource.name, in: draft.image)
                try alterTopicConfigs(topic, try changes(resource.configs, topic), in: &draft)
            }
        }
        return validateOnly ? ControllerResult(response: answers) : draft.result(answers)
    }

    private func answer(
        _ type: Int8, _ name: String, _ body: () throws(Refusal) -> Void
    ) -> AlterConfigsResourceResponse {
        do {
            try body()
            return .init(resourceType: type, resourceName: name)
        } catch {
            return .init(
                errorCode: error.code, errorMessage: error.message, resourceType: type,
                resourceName: name)
        }
    }

    /// The topic a config change names; only topic configs can change here.
    static func configurableTopic(_ type: Int8, _ name: String, in image: MetadataImage)
        throws(Refusal) -> TopicImage
    {
        guard type == ConfigRecord.topicResource else {
            throw Refusal(
                .invalidRequest,
                "Only topic configs can be changed in this cluster; broker configs are fixed (see DescribeConfigs)."
            )
        }
        // Kafka's ControllerConfigurationValidator checks the name before the topic's existence.
        if name.isEmpty { throw Refusal(.invalidRequest, "Default topic resources are not allowed.") }
        if let problem = TopicNames.problem(with: name) { throw Refusal(.invalidTopicException, problem) }
        guard let topic = image.topic(name) else {
            throw Refusal(.unknownTopicOrPartition, "The topic '\(name)' does not exist.")
        }
        return topic
    }

    /// Each key's new value (nil: back to the default), from the operations on it.
    static func incrementalChanges(
        _ configs: [IncrementalAlterConfigsRequest.Config], current: [String: String]
    ) throws(Refusal) -> [String: String?] {
        if duplicates(configs.map(\.name)).isEmpty == false {
            throw Refusal(.invalidRequest, "Error due to duplicate config keys")
        }
        var changes: [String: String?] = [:]
        for config in configs {
            switch config.configOperation {
            case .set:
                guard let value = config.value else {
                    throw Refusal(.invalidRequest, "Null value not supported for : \(config.name)")
                }
                changes[config.name] = .some(value)
            case .delete:
                changes[config.name] = .some(nil)
            case .append, .subtract:
                guard listConfigs.contains(config.name) else {
                    throw Refusal(
                        .invalidConfig,
                        "Can't \(config.configOperation) to key \(config.name) because its type is not LIST."
                    )
                }
                guard let value = config.value else {
                    throw Refusal(.invalidRequest, "Null value not supported for : \(config.name)")
                }
                let now = current[config.name] ?? defaultValue(of: config.name)
                changes[config.name] = .some(
                    listOperation(config.configOperation, now, value))
            default:
                throw Refusal(.invalidRequest, "Unknown operation type \(config.configOperation).")
            }
        }
        return changes
    }

    private static func defaultValue(of key: String) -> String {
        TopicConfigs.describe([:]).first { $0.name == key }?.value ?? ""
    }

    /// APPEND adds the items not yet in the list; SUBTRACT removes them.
    private static func listOperation(
        _ operation: IncrementalAlterConfigsRequest.ConfigOperation, _ current: String,
        _ value: String
    ) -> String {
        var items = current.split(separator: ",").map(String.init).filter { !$0.isEmpty }
        let given = value.split(separator: ",").map(String.init).filter { !$0.isEmpty }
        if operation == .append {
            for item in given where !items.contains(item) { items.append(item) }
        } else {
            items.removeAll { given.contains($0) }
        }
        return items.joined(separator: ",")
    }

    /// Validates the merged overrides and writes one `ConfigRecord` per key that changes.
    private func alterTopicConfigs(
        _ topic: TopicImage, _ changes: [String: String?], in draft: inout ControllerDraft
    ) throws(Refusal) {
        var merged = topic.configs
        for (key, value) in changes { merged[key] = value }
        if let problem = TopicConfigs.problem(with: merged) {
            throw Refusal(.invalidConfig, problem)
        }
        for key in changes.keys.sorted() where topic.configs[key] != merged[key] {
            let value = merged[key]
            draft.append(
                .config(
                    ConfigRecord(
                        resourceType: ConfigRecord.topicResource, resourceName: topic.name,
                        name: key,
                        value: value)))
            draft.events.append(.topicConfigChanged(topic: topic.name, name: key, value: value))
        }
    }
}
