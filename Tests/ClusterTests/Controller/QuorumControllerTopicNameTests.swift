// Controller tests: answers about illegal topic names. Goal: a CreateTopics naming a topic as
// long as a request's STRING may be (32767 bytes) gets an answer that still encodes into a
// response a client can read. Found by the stateful fuzzer (scripts/fuzz.sh, limits phase):
// the error message quoted the whole name and came out longer than any STRING may be.

import Testing

@testable import Cluster

@Suite struct QuorumControllerTopicNameTests {
    @Test("an over-long or illegal topic name is quoted cut short, so the answer decodes", arguments: ["a", "!"])
    func longNameAnswerDecodes(filler: String) throws {
        var h = ControllerHarness(brokers: 1)
        let name = String(repeating: filler, count: Limits.stringBytesMax)
        let result = h.controller.handleCreateTopics(
            CreateTopicsRequest(topics: [.init(name: name, numPartitions: 1, replicationFactor: 1)]))
        let answer = try #require(result.response.topics.first)
        #expect(answer.errorCode == .invalidTopicException)
        #expect((answer.errorMessage?.utf8.count ?? 0) <= Limits.stringBytesMax)
        for version in CreateTopicsRequest.versions {
            var writer = WireWriter()
            result.response.encode(to: &writer, version: version)
            var reader = WireReader(writer.buffer)
            let decoded = try CreateTopicsResponse(from: &reader, version: version)
            #expect(decoded.topics.first?.errorMessage == answer.errorMessage)
        }
    }
}
