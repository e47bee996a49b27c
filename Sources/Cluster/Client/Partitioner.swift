// Client room: picks the partition of each produced record as Kafka's Java client does. Keyed
// records hash with murmur2; unkeyed ones stick to one partition until its batch closes.

/// Chooses the partition for each record a producer sends.
///
/// A record with a key goes to `toPositive(murmur2(key)) % partitionCount`, the formula of
/// Kafka's `DefaultPartitioner` (and of librdkafka's `murmur2_random`, kafka-python and
/// franz-go), so the same key lands on the same partition whichever client wrote it. A record
/// without a key goes to the topic's *sticky* partition, which changes only when the batch for
/// it is completed (`onNewBatch`), so unkeyed records fill whole batches instead of spreading
/// one record per batch (KIP-480, Kafka 2.4; Kafka 3.3's KIP-794 later switched by bytes
/// produced instead). The new partition is drawn from an injected seeded generator, so a run
/// is repeatable. Mirrors Kafka's `DefaultPartitioner` and `StickyPartitionCache`.
public struct Partitioner: Sendable {
    private var entropy: SplitMix64
    /// topic → its current sticky partition. Looked up only, never iterated.
    private var sticky: [String: Int32] = [:]

    public init(entropy: SplitMix64) {
        self.entropy = entropy
    }

    // MARK: - Keyed records

    /// Kafka's `Utils.murmur2`: 32-bit MurmurHash2 with seed 0x9747b28c over the key bytes,
    /// read little-endian in 4-byte blocks, returned as Java's signed int.
    public static func murmur2(_ data: [UInt8]) -> Int32 {
        let m: UInt32 = 0x5BD1_E995
        let r: UInt32 = 24
        var h: UInt32 = 0x9747_B28C ^ UInt32(truncatingIfNeeded: data.count)
        let blocks = data.count / 4
        for block in 0..<blocks {
            let i = block * 4
            var k =
                UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(
                    data[i + 3]) << 24
            k = k &* m
            k ^= k >> r
            k = k &* m
            h = h &* m
            h ^= k
        }
        let tail = blocks * 4
        let extra = data.count - tail
        if extra >= 3 { h ^= UInt32(data[tail + 2]) << 16 }
        if extra >= 2 { h ^= UInt32(data[tail + 1]) << 8 }
        if extra >= 1 {
            h ^= UInt32(data[tail])
            h = h &* m
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// Kafka's `Utils.toPositive`: clears the sign bit (not `abs`, which fails on Int32.min).
    public static func toPositive(_ number: Int32) -> Int32 { number & 0x7FFF_FFFF }

    /// The partition of a keyed record; nil when the topic has no partitions.
    public static func partition(forKey key: [UInt8], partitionCount: Int32) -> Int32? {
        guard partitionCount > 0 else { return nil }
        return toPositive(murmur2(key)) % partitionCount
    }

    // MARK: - Any record

    /// The partition for a record of `topic`: by key hash when keyed, else the sticky one.
    /// `availablePartitions` are those with a leader now; nil when the topic has no partitions.
    public mutating func partition(
        topic: String, key: [UInt8]?, partitionCount: Int32, availablePartitions: [Int32]
    ) -> Int32? {
        guard partitionCount > 0 else { return nil }
        if let key { return Self.partition(forKey: key, partitionCount: partitionCount) }
        if let current = sticky[topic], current < partitionCount { return current }
        return nextStickyPartition(
            topic: topic, previous: -1, partitionCount: partitionCount,
            availablePartitions: availablePartitions)
    }

    /// Tells the partitioner that the batch for `previous` is complete, so unkeyed records of
    /// `topic` move to another partition. Kafka calls this `onNewBatch`.
    public mutating func onNewBatch(
        topic: String, previous: Int32, partitionCount: Int32, availablePartitions: [Int32]
    ) {
        guard partitionCount > 0 else { return }
        _ = nextStickyPartition(
            topic: topic, previous: previous, partitionCount: partitionCount,
            availablePartitions: availablePartitions)
    }

    /// The topic's current sticky partition, for inspection; nil before the first unkeyed record.
    public func stickyPartition(topic: String) -> Int32? { sticky[topic] }

    /// Picks a new sticky partition only if the current one is unset or is the one whose batch
    /// just closed (another record may already have moved it on). Prefers partitions with a
    /// leader, never repeats the previous one when there is a choice.
    private mutating func nextStickyPartition(
        topic: String, previous: Int32, partitionCount: Int32, availablePartitions: [Int32]
    ) -> Int32 {
        let old = sticky[topic]
        if let old, old != previous, old < partitionCount { return old }
        // Sorted so the draw depends on the seed, not on the order metadata arrived in.
        let pool = Set(availablePartitions.filter { $0 >= 0 && $0 < partitionCount }).sorted()
        let chosen: Int32
        if pool.isEmpty {
            chosen = Int32(truncatingIfNeeded: entropy.next(upperBound: UInt64(partitionCount)))
        } else if pool.count == 1 {
            chosen = pool[0]
        } else {
            let candidates = pool.filter { $0 != old }
            chosen = candidates[Int(entropy.next(upperBound: UInt64(candidates.count)))]
        }
        sticky[topic] = chosen
        return chosen
    }
}
