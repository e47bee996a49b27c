// Protocol tests: the metadata topic's fixed name, id and partition. Goal: they are exactly
// Kafka's `__cluster_metadata` and `Uuid.METADATA_TOPIC_ID`, as printed and as sent.

import Testing

@testable import Cluster

@Suite struct MetadataTopicTests {
    @Test("__cluster_metadata-0 with Kafka's reserved topic id (0, 1)")
    func constants() {
        #expect(MetadataTopic.name == "__cluster_metadata")
        #expect(MetadataTopic.partition == 0)
        #expect(MetadataTopic.topicId == Uuid(mostSignificantBits: 0, leastSignificantBits: 1))
        #expect(MetadataTopic.topicId.description == "AAAAAAAAAAAAAAAAAAAAAQ")
        #expect(Uuid("AAAAAAAAAAAAAAAAAAAAAQ") == MetadataTopic.topicId)
        #expect(
            TopicPartition(MetadataTopic.name, MetadataTopic.partition).directoryName
                == "__cluster_metadata-0")
    }
}
