// Controller tests: topic names and topic config values as Kafka validates them. Goal: what
// Kafka's Topic.validate, its '.'/'_' collision rule and ConfigDef refuse is refused here,
// with Kafka's code and words, through the controller that real clients reach.

import Testing

@testable import Cluster

@Suite struct TopicNamesTests {
    @Test(
        "names Kafka's Topic.validate refuses, with its reasons",
        arguments: [
            ("", "Topic name is invalid: the empty string is not allowed"),
            (".", "Topic name is invalid: '.' is not allowed"),
            ("..", "Topic name is invalid: '..' is not allowed"),
            ("a/b", "Topic name is invalid: 'a/b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"),
            ("é", "Topic name is invalid: 'é' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"),
            ("a\u{1}b", "Topic name is invalid: 'a\u{1}b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"),
            (String(repeating: "x", count: 250),
             "Topic name is invalid: the length of '\(String(repeating: "x", count: 250))' is longer than the max allowed length 249"),
        ])
    func refused(name: String, reason: String) {
        #expect(TopicNames.problem(with: name) == reason)
    }

    @Test("legal names: Kafka's characters, up to 249 of them, dots that are not the whole name")
    func legal() {
        for name in ["orders", "a.b", "a_b", "A-Z.0_9", "...", String(repeating: "x", count: 249)] {
            #expect(TopicNames.problem(with: name) == nil, "\(name)")
        }
    }

    @Test("'.' and '_' collide: kafka-topics.sh warns about either, the controller refuses a collision")
    func collisions() {
        #expect(TopicNames.hasCollisionChars("a.b") && TopicNames.hasCollisionChars("a_b"))
        #expect(!TopicNames.hasCollisionChars("a-b"))
        #expect(TopicNames.collision(of: "a_b", among: ["a.b", "orders"]) == "a.b")
        #expect(TopicNames.collision(of: "a_b", among: ["a_b"]) == nil)
        #expect(TopicNames.collision(of: "a-b", among: ["a_b"]) == nil)
        #expect(TopicNames.collision(of: "x.y_z", among: ["x_y_z", "x.y.z"]) == "x.y.z")

        var h = ControllerHarness(brokers: 1)
        #expect(h.createTopic("metrics.cpu")?.errorCode == ErrorCode.none)
        let refused = h.createTopic("metrics_cpu")
        #expect(refused?.errorCode == .invalidTopicException)
        #expect(refused?.errorMessage == "Topic 'metrics_cpu' collides with existing topic: metrics.cpu")
        // The same name again is TOPIC_ALREADY_EXISTS, as in Kafka, not a collision with itself.
        #expect(h.createTopic("metrics.cpu")?.errorCode == .topicAlreadyExists)
    }

    @Test(
        "config values Kafka's ConfigDef refuses are refused with INVALID_CONFIG at create",
        arguments: [
            ("retention.ms", "-2", "Invalid value -2 for configuration retention.ms: Value must be at least -1"),
            ("min.insync.replicas", "0", "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1"),
            ("min.insync.replicas", "3000000000",
             "Invalid value 3000000000 for configuration min.insync.replicas: Not a number of type INT"),
            ("cleanup.policy", "forever", "Invalid value forever for configuration cleanup.policy: String must be one of: compact, delete"),
            ("segment.bytes", "13", "Invalid value 13 for configuration segment.bytes: Value must be at least 14"),
            ("max.message.bytes", "-1", "Invalid value -1 for configuration max.message.bytes: Value must be at least 0"),
            ("unclean.leader.election.enable", "yes",
             "Invalid value yes for configuration unclean.leader.election.enable: Expected value to be either true or false"),
        ])
    func configRefused(key: String, value: String, message: String) {
        var h = ControllerHarness(brokers: 1)
        let answer = h.createTopic("t", configs: [key: value])
        #expect(answer?.errorCode == .invalidConfig)
        #expect(answer?.errorMessage == message)
        #expect(h.image.topic("t") == nil)
    }

    @Test("IncrementalAlterConfigs checks the topic name before the topic's existence, as Kafka does")
    func alterNames() {
        var h = ControllerHarness(brokers: 1)
        func answer(_ name: String) -> (ErrorCode, String?) {
            let request = IncrementalAlterConfigsRequest(resources: [.init(
                resourceType: ConfigRecord.topicResource, resourceName: name,
                configs: [.init(name: "retention.ms", configOperation: .set, value: "1")])])
            let r = h.controller.handleIncrementalAlterConfigs(request).response.responses.first
            return (r?.errorCode ?? .none, r?.errorMessage)
        }
        #expect(answer("a/b") == (.invalidTopicException, TopicNames.problem(with: "a/b")))
        #expect(answer("") == (.invalidRequest, "Default topic resources are not allowed."))
        #expect(answer("nope").0 == .unknownTopicOrPartition)
    }
}
