// Client tests: the partitioner. Goal: keyed records land where Kafka's Java client and
// kafka-python put them; unkeyed records stick to a partition until its batch is completed.

import Testing

@testable import Cluster

@Suite struct PartitionerTests {
    /// From apache/kafka's testMurmur2, in
    /// clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java.
    static let kafkaVectors: [(String, Int32)] = [
        ("21", -973_932_308),
        ("foobar", -790_332_482),
        ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
        ("abc", 479_470_107),
    ]

    @Test("murmur2 matches Kafka's UtilsTest.testMurmur2 vectors")
    func kafkaMurmur2() {
        for (key, expected) in Self.kafkaVectors {
            #expect(Partitioner.murmur2(Array(key.utf8)) == expected, "\(key)")
        }
    }

    /// Produced with kafka-python 3.0.12 (pip), a one-off script: for each key,
    /// `kafka.partitioner.default.murmur2(key)` (shown as a signed int) and
    /// `DefaultPartitioner().partition("t", None, key, None, None, cluster)` for a stub
    /// cluster of 1, 3, 6, 12 and 50 partitions, all available.
    static let kafkaPythonVectors: [([UInt8], Int32, [Int32])] = [
        ([], 275_646_681, [0, 0, 3, 9, 31]),
        (Array("a".utf8), -1_563_381_124, [0, 1, 4, 4, 24]),
        (Array("ab".utf8), 316_155_434, [0, 2, 2, 2, 34]),
        (Array("abc".utf8), 479_470_107, [0, 0, 3, 3, 7]),
        (Array("abcd".utf8), -1_323_649_548, [0, 2, 2, 8, 0]),
        (Array("abcde".utf8), 461_995_741, [0, 1, 1, 1, 41]),
        (Array("order-1".utf8), 1_221_710_326, [0, 1, 4, 10, 26]),
        (Array("order-2".utf8), -1_055_499_005, [0, 0, 3, 3, 43]),
        (Array("order-42".utf8), 501_153_024, [0, 0, 0, 0, 24]),
        (Array("user-1002".utf8), 494_644_997, [0, 2, 5, 5, 47]),
        (Array("key".utf8), -1_079_937_367, [0, 1, 1, 1, 31]),
        (Array("kafka".utf8), -798_503_068, [0, 1, 4, 4, 30]),
        (Array("swiftka".utf8), 1_475_945_264, [0, 2, 2, 8, 14]),
        (Array("hello world".utf8), 1_221_641_059, [0, 1, 1, 7, 9]),
        ([0x00], 375_494_588, [0, 2, 2, 8, 38]),
        ([0xFF, 0xFE, 0xFD], 998_637_092, [0, 2, 2, 8, 42]),
        ([0x80, 0x81, 0x82, 0x83, 0x84], -1_665_622_439, [0, 0, 3, 9, 9]),
        (Array("héllo wörld".utf8), 439_213_890, [0, 0, 0, 6, 40]),
        (Array("0123456789abcdef".utf8), 1_438_427_052, [0, 0, 0, 0, 2]),
        (Array("the quick brown fox jumps".utf8), -1_650_844_993, [0, 1, 1, 7, 5]),
    ]

    @Test("keys hash and partition exactly as kafka-python's DefaultPartitioner")
    func kafkaPythonPartitions() {
        for (key, hash, partitions) in Self.kafkaPythonVectors {
            #expect(Partitioner.murmur2(key) == hash, "\(key)")
            let ours = [Int32(1), 3, 6, 12, 50].map {
                Partitioner.partition(forKey: key, partitionCount: $0)
            }
            #expect(ours == partitions.map { Optional($0) }, "\(key)")
        }
    }

    @Test("toPositive clears the sign bit, so Int32.min maps to 0, not a trap")
    func toPositive() {
        #expect(Partitioner.toPositive(.min) == 0)
        #expect(Partitioner.toPositive(-1) == .max)
        #expect(Partitioner.toPositive(5) == 5)
    }

    @Test("a topic without partitions has no partition for any record")
    func noPartitions() {
        var partitioner = Partitioner(entropy: SplitMix64(seed: 1))
        #expect(Partitioner.partition(forKey: [1], partitionCount: 0) == nil)
        #expect(
            partitioner.partition(topic: "t", key: nil, partitionCount: 0, availablePartitions: [])
                == nil)
    }

    @Test(
        "unkeyed records stick to one partition until its batch completes, then move",
        arguments: [1, 2, 3, 42] as [UInt64])
    func sticky(seed: UInt64) throws {
        var partitioner = Partitioner(entropy: SplitMix64(seed: seed))
        let all: [Int32] = Array(0..<6)
        let previousChoice = partitioner.partition(
            topic: "t", key: nil, partitionCount: 6, availablePartitions: all)
        var previous = try #require(previousChoice)
        for _ in 0..<50 {
            for _ in 0..<10 {
                #expect(
                    partitioner.partition(
                        topic: "t", key: nil, partitionCount: 6, availablePartitions: all)
                        == previous)
            }
            partitioner.onNewBatch(
                topic: "t", previous: previous, partitionCount: 6, availablePartitions: all)
            let nextChoice = partitioner.partition(
                topic: "t", key: nil, partitionCount: 6, availablePartitions: all)
            let next = try #require(nextChoice)
            #expect(next != previous)
            #expect(all.contains(next))
            previous = next
        }
    }

    @Test("a completed batch of a partition no longer sticky does not move the topic again")
    func staleBatchCompletion() throws {
        var partitioner = Partitioner(entropy: SplitMix64(seed: 9))
        let all: [Int32] = [0, 1, 2, 3]
        let firstChoice = partitioner.partition(
            topic: "t", key: nil, partitionCount: 4, availablePartitions: all)
        let first = try #require(firstChoice)
        partitioner.onNewBatch(
            topic: "t", previous: first, partitionCount: 4, availablePartitions: all)
        let second = try #require(partitioner.stickyPartition(topic: "t"))
        partitioner.onNewBatch(
            topic: "t", previous: first, partitionCount: 4, availablePartitions: all)
        #expect(partitioner.stickyPartition(topic: "t") == second)
    }

    @Test("sticky picks prefer partitions with a leader; with none, any partition will do")
    func availability() throws {
        var partitioner = Partitioner(entropy: SplitMix64(seed: 5))
        for _ in 0..<20 {
            let pChoice = partitioner.partition(
                topic: "a", key: nil, partitionCount: 8, availablePartitions: [3, 5])
            let p = try #require(pChoice)
            #expect([3, 5].contains(p))
            partitioner.onNewBatch(
                topic: "a", previous: p, partitionCount: 8, availablePartitions: [3, 5])
        }
        #expect(
            partitioner.partition(topic: "b", key: nil, partitionCount: 8, availablePartitions: [7])
                == 7)
        partitioner.onNewBatch(topic: "b", previous: 7, partitionCount: 8, availablePartitions: [7])
        #expect(
            partitioner.partition(topic: "b", key: nil, partitionCount: 8, availablePartitions: [7])
                == 7)
        let anyChoice = partitioner.partition(
            topic: "c", key: nil, partitionCount: 8, availablePartitions: [])
        let any = try #require(anyChoice)
        #expect((0..<8).contains(any))
    }

    @Test("keyed records ignore the sticky partition; topics stick independently")
    func keyedAndTopics() {
        var partitioner = Partitioner(entropy: SplitMix64(seed: 11))
        let all: [Int32] = Array(0..<50)
        _ = partitioner.partition(
            topic: "t", key: nil, partitionCount: 50, availablePartitions: all)
        #expect(
            partitioner.partition(
                topic: "t", key: Array("order-1".utf8), partitionCount: 50, availablePartitions: all
            ) == 26)
        #expect(partitioner.stickyPartition(topic: "u") == nil)
    }

    @Test("the same seed gives the same sticky sequence, whatever order partitions are listed in")
    func deterministic() {
        func run(_ available: [Int32]) -> [Int32?] {
            var partitioner = Partitioner(entropy: SplitMix64(seed: 77))
            return (0..<30).map { _ in
                let p = partitioner.partition(
                    topic: "t", key: nil, partitionCount: 10, availablePartitions: available)
                partitioner.onNewBatch(
                    topic: "t", previous: p ?? -1, partitionCount: 10,
                    availablePartitions: available)
                return p
            }
        }
        #expect(run(Array(0..<10)) == run(Array((0..<10).reversed())))
        #expect(Set(run(Array(0..<10)).compactMap { $0 }).count > 5)
    }

    @Test("SplitMix64 matches the reference outputs for seeds 1234567 and 0")
    func splitMix64() {
        var rng = SplitMix64(seed: 1_234_567)
        #expect(
            (0..<5).map { _ in rng.next() } == [
                6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
            ])
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
        var a = SplitMix64(seed: 3)
        var b = SplitMix64(seed: 3)
        #expect(a.fork() == b.fork())
    }
}
