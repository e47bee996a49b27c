// Controller tests: IncrementalAlterConfigs and AlterConfigs on topics. Goal: only real changes
// become ConfigRecords, the merged result is validated, list configs take APPEND and SUBTRACT,
// and everything else is refused with Kafka's codes.

import Testing

@testable import Cluster

@Suite struct QuorumControllerConfigsTests {
    typealias Op = IncrementalAlterConfigsRequest.ConfigOperation

    static func incremental(
        _ topic: String, _ configs: [(String, Op, String?)], validateOnly: Bool = false,
        type: Int8 = ConfigRecord.topicResource
    ) -> IncrementalAlterConfigsRequest {
        IncrementalAlterConfigsRequest(
            resources: [
                .init(
                    resourceType: type, resourceName: topic,
                    configs: configs.map { .init(name: $0.0, configOperation: $0.1, value: $0.2) })
            ], validateOnly: validateOnly)
    }

    @Test("SET and DELETE write one ConfigRecord per key that changes, and nothing for the rest")
    func setAndDelete() {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("t", configs: ["retention.ms": "1000", "segment.ms": "5000"])
        let result = h.controller.handleIncrementalAlterConfigs(
            Self.incremental(
                "t",
                [
                    ("retention.ms", .set, "1000"), ("segment.ms", .delete, nil),
                    ("retention.bytes", .set, "10"),
                ]))
        #expect(result.response.responses.map(\.errorCode) == [.none])
        let changed = result.records.compactMap { record -> String? in
            if case .config(let c) = record { return "\(c.name)=\(c.value ?? "nil")" }
            return nil
        }
        #expect(changed == ["retention.bytes=10", "segment.ms=nil"])
        #expect(
            result.events == [
                .topicConfigChanged(topic: "t", name: "retention.bytes", value: "10"),
                .topicConfigChanged(topic: "t", name: "segment.ms", value: nil),
            ])
        h.apply(result)
        #expect(h.image.topic("t")?.configs == ["retention.ms": "1000", "retention.bytes": "10"])
    }

    @Test("APPEND and SUBTRACT work on list configs only")
    func listOperations() {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("t")
        // Appending what the default already holds makes it an override, as in Kafka.
        let appended = h.apply(
            h.controller.handleIncrementalAlterConfigs(
                Self.incremental("t", [("cleanup.policy", .append, "delete")])))
        #expect(appended.responses.first?.errorCode == ErrorCode.none)
        #expect(h.image.topic("t")?.configs == ["cleanup.policy": "delete"])
        let again = h.controller.handleIncrementalAlterConfigs(
            Self.incremental("t", [("cleanup.policy", .append, "delete")]))
        #expect(again.records.isEmpty)
        let emptied = h.controller.handleIncrementalAlterConfigs(
            Self.incremental("t", [("cleanup.policy", .subtract, "delete")]))
        #expect(emptied.response.responses.first?.errorCode == .invalidConfig)
        let compact = h.controller.handleIncrementalAlterConfigs(
            Self.incremental("t", [("cleanup.policy", .append, "compact")]))
        #expect(compact.response.responses.first?.errorCode == .invalidConfig)
        let notList = h.controller.handleIncrementalAlterConfigs(
            Self.incremental("t", [("retention.ms", .append, "5")]))
        #expect(notList.response.responses.first?.errorCode == .invalidConfig)
        #expect(
            notList.response.responses.first?.errorMessage
                == "Can't APPEND to key retention.ms because its type is not LIST.")
    }

    @Test(
        "refusals: an invalid value, an unknown topic, a broker resource, a null SET, duplicate keys"
    )
    func refusals() {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("t")
        func answer(_ request: IncrementalAlterConfigsRequest) -> (ErrorCode, String?) {
            let result = h.controller.handleIncrementalAlterConfigs(request)
            #expect(result.records.isEmpty)
            let r = result.response.responses.first
            return (r?.errorCode ?? .none, r?.errorMessage)
        }
        #expect(
            answer(Self.incremental("t", [("min.insync.replicas", .set, "0")])).0 == .invalidConfig)
        #expect(
            answer(Self.incremental("nope", [("retention.ms", .set, "1")])) == (
                .unknownTopicOrPartition, "The topic 'nope' does not exist."
            ))
        #expect(
            answer(
                Self.incremental(
                    "1", [("log.retention.ms", .set, "1")], type: ConfigRecord.brokerResource)
            ).0 == .invalidRequest)
        #expect(
            answer(Self.incremental("t", [("retention.ms", .set, nil)])) == (
                .invalidRequest, "Null value not supported for : retention.ms"
            ))
        #expect(
            answer(
                Self.incremental(
                    "t", [("retention.ms", .set, "1"), ("retention.ms", .delete, nil)])
            ).0 == .invalidRequest)
    }

    @Test("validateOnly checks and writes nothing")
    func validateOnly() {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("t")
        let result = h.controller.handleIncrementalAlterConfigs(
            Self.incremental("t", [("retention.ms", .set, "10")], validateOnly: true))
        #expect(
            result.records.isEmpty && result.response.responses.first?.errorCode == ErrorCode.none)
    }

    @Test("legacy AlterConfigs replaces the whole set: keys left out go back to their defaults")
    func legacyReplaces() {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("t", configs: ["retention.ms": "1000", "segment.ms": "5000"])
        let response = h.apply(
            h.controller.handleAlterConfigs(
                AlterConfigsRequest(resources: [
                    .init(
                        resourceType: ConfigRecord.topicResource, resourceName: "t",
                        configs: [.init(name: "retention.ms", value: "1000")])
                ])))
        #expect(response.responses.first?.errorCode == ErrorCode.none)
        #expect(h.image.topic("t")?.configs == ["retention.ms": "1000"])
    }
}
