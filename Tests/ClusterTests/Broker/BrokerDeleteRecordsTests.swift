// Broker tests: DeleteRecords (key 21) on a leader whose high watermark is below its log end
// offset. Goal: as Kafka's `UnifiedLog.deleteRecords`, only committed records can be deleted:
// an offset above the high watermark is OFFSET_OUT_OF_RANGE, and -1 means the high watermark,
// not the log end. Method: one broker leading a 2-replica partition on a MemoryFileSystem,
// with appends the (absent) follower never fetched.

import Testing

@testable import Cluster

@Suite struct BrokerDeleteRecordsTests {
    typealias Fixture = BrokerOffsetForLeaderEpochTests.Fixture

    func delete(_ offset: Int64, on fixture: inout Fixture) -> DeleteRecordsResponse.PartitionResult? {
        let request = DeleteRecordsRequest(topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0, offset: offset)])])
        let header = RequestHeader(apiKey: .deleteRecords, apiVersion: 2, correlationId: 1, clientId: "t")
        return fixture.broker.handleDeleteRecords(request, header: header).0.topics.first?.partitions.first
    }

    @Test("DeleteRecords deletes only below the high watermark; -1 is the high watermark")
    func onlyCommittedRecords() throws {
        var f = Fixture(replicas: [1, 2])
        try f.append(records: 6)
        var log = try #require(f.broker.logs[BrokerOffsetForLeaderEpochTests.tp])
        let moved = log.maybeIncrementHighWatermark(4)
        #expect(moved)
        f.broker.logs[BrokerOffsetForLeaderEpochTests.tp] = log
        #expect(log.logEndOffset == 6)

        let above = try #require(delete(5, on: &f))
        #expect(above.errorCode == .offsetOutOfRange)
        #expect(above.lowWatermark == 0)
        let toHighWatermark = try #require(delete(DeleteRecordsRequest.highWatermark, on: &f))
        #expect(toHighWatermark.errorCode == .none)
        #expect(toHighWatermark.lowWatermark == 4)
        #expect(f.broker.logs[BrokerOffsetForLeaderEpochTests.tp]?.logStartOffset == 4)
    }
}
