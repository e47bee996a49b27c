// Client tests: the partitioner's explanation line. Goal: a learner can redo the arithmetic
// from what is printed (murmur2, toPositive, modulo), and each branch names itself.

import Testing

@testable import Cluster

@Suite struct PartitionChoiceTests {
    @Test("a keyed choice shows murmur2, toPositive and the modulo")
    func keyHash() {
        let hash = Partitioner.murmur2(Array("order-2".utf8))
        let choice = PartitionChoice.keyHash(murmur2: hash, partitions: 50)
        let positive = Partitioner.toPositive(hash)
        #expect(hash == -1_055_499_005)
        #expect(
            choice.description
                == "murmur2(key) = -1055499005, toPositive = \(positive), \(positive) % 50 = 43")
        #expect(Partitioner.partition(forKey: Array("order-2".utf8), partitionCount: 50) == 43)
    }

    @Test("explicit and sticky choices say so")
    func others() {
        #expect(PartitionChoice.explicit.description == "partition given explicitly")
        #expect(PartitionChoice.sticky.description.hasPrefix("no key: sticky partition"))
    }
}
