// Controller room: the walking state of striped placement: a list of brokers per rack (fenced
// and unfenced apart), and the list of racks, each with its own round-robin position.

extension StripedReplicaPlacer {
    /// Kafka's `StripedReplicaPlacer.BrokerList`: sorted brokers walked from an offset that
    /// moves on by one at each new iteration epoch, each broker at most once per epoch.
    struct BrokerList: Equatable {
        var brokers: [NodeID] = []
        /// How many brokers this epoch has taken.
        var index = 0
        var offset = 0
        /// The last iteration epoch seen; a different one restarts the walk. Nil after a
        /// shuffle, so the next epoch restarts it whatever its number.
        var epoch: Int? = 0

        mutating func initialize<R: PlacementRandom>(random: inout R) {
            guard !brokers.isEmpty else { return }
            brokers.sort()
            offset = random.nextInt(brokers.count)
        }

        /// Continue after the broker at `previousOffset` (an earlier placement of the topic).
        mutating func initialize(previousOffset: Int) {
            guard !brokers.isEmpty else { return }
            brokers.sort()
            offset = (previousOffset + 1) % brokers.count
        }

        /// The next broker of epoch `epoch`, or nil when this epoch has had them all.
        mutating func next(epoch: Int) -> NodeID? {
            guard !brokers.isEmpty else { return nil }
            if self.epoch != epoch {
                self.epoch = epoch
                index = 0
                offset = (offset + 1) % brokers.count
            }
            guard index < brokers.count else { return nil }
            defer { index += 1 }
            return brokers[(index + offset) % brokers.count]
        }

        /// Java's `Collections.shuffle`: swap each position from the end with a random one
        /// at or before it.
        mutating func shuffle<R: PlacementRandom>(random: inout R) {
            Self.shuffle(&brokers, random: &random)
            epoch = nil
        }

        static func shuffle<T, R: PlacementRandom>(_ list: inout [T], random: inout R) {
            var i = list.count
            while i > 1 {
                list.swapAt(i - 1, random.nextInt(i))
                i -= 1
            }
        }
    }

    /// Kafka's `StripedReplicaPlacer.Rack`: unfenced brokers first, fenced ones after.
    struct Rack: Equatable {
        var fenced = BrokerList()
        var unfenced = BrokerList()

        mutating func nextUnfenced(epoch: Int) -> NodeID? { unfenced.next(epoch: epoch) }

        mutating func next(epoch: Int) -> NodeID? {
            unfenced.next(epoch: epoch) ?? fenced.next(epoch: epoch)
        }
    }

    /// Kafka's `StripedReplicaPlacer.RackList`.
    struct RackList {
        var racks: [String?: Rack] = [:]
        /// Sorted, no rack first; shuffled after each full round.
        var rackNames: [String?] = []
        let totalCount: Int
        let unfencedCount: Int
        var epoch = 0
        var offset = 0

        init<R: PlacementRandom>(brokers: [UsableBroker], existing: [[NodeID]], random: inout R) {
            var rackOf: [NodeID: String?] = [:]
            for broker in brokers.sorted(by: { $0.id < $1.id }) {
                rackOf[broker.id] = .some(broker.rack)
                if broker.fenced {
                    racks[broker.rack, default: Rack()].fenced.brokers.append(broker.id)
                } else {
                    racks[broker.rack, default: Rack()].unfenced.brokers.append(broker.id)
                }
            }
            rackNames = racks.keys.sorted(by: Self.rackOrder)
            totalCount = brokers.count
            unfencedCount = brokers.filter { !$0.fenced }.count
            for name in rackNames {
                guard var rack = racks[name] else { continue }
                rack.fenced.initialize(random: &random)
                if let previous = Self.previousBrokerOffset(
                    rackOf: rackOf, existing: existing, rack: name, unfenced: rack.unfenced.brokers)
                {
                    rack.unfenced.initialize(previousOffset: previous)
                } else {
                    rack.unfenced.initialize(random: &random)
                }
                racks[name] = rack
            }
            if let previous = Self.previousRackOffset(
                rackOf: rackOf, existing: existing, racks: rackNames)
            {
                offset = (previous + 1) % rackNames.count
            } else {
                offset = rackNames.isEmpty ? 0 : random.nextInt(rackNames.count)
            }
        }

        /// Kafka's `OptionalStringComparator`: no rack sorts before any named rack.
        static func rackOrder(_ a: String?, _ b: String?) -> Bool {
            switch (a, b) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let a?, let b?): return a < b
            }
        }

        /// Kafka's `tryGetPreviousBrokerOffset`: where in this rack's unfenced list the most
        /// recent placement of the topic used a broker of the rack.
        static func previousBrokerOffset(
            rackOf: [NodeID: String?], existing: [[NodeID]], rack: String?, unfenced: [NodeID]
        ) -> Int? {
            for replicas in existing.reversed() {
                for broker in replicas {
                    guard let brokerRack = rackOf[broker], brokerRack == rack else { continue }
                    return unfenced.firstIndex(of: broker)
                }
            }
            return nil
        }

        /// Kafka's `tryGetPreviousRackOffset`: the rack of the last partition's leader.
        static func previousRackOffset(
            rackOf: [NodeID: String?], existing: [[NodeID]], racks: [String?]
        ) -> Int? {
            guard let leader = existing.last?.first, let rack = rackOf[leader] else { return nil }
            return racks.firstIndex(of: rack)
        }

        static func checkPositive(_ replicationFactor: Int) throws(PlacementError) {
            guard replicationFactor > 0 else {
                throw PlacementError(
                    message: "Invalid replication factor \(replicationFactor): the replication "
                        + "factor must be positive.")
            }
        }

        static func checkSomeUnfenced(_ unfenced: Int) throws(PlacementError) {
            guard unfenced > 0 else {
                throw PlacementError(message: "All brokers are currently fenced.")
            }
        }

        static func checkEnoughBrokers(_ replicationFactor: Int, total: Int) throws(PlacementError)
        {
            guard replicationFactor <= total else {
                throw PlacementError(
                    message: "The target replication factor of \(replicationFactor) cannot be "
                        + "reached because only \(total) broker(s) are registered.")
            }
        }

        /// Kafka's `RackList.place`: one partition's replicas, leader first.
        mutating func place<R: PlacementRandom>(
            replicationFactor: Int, random: inout R
        ) throws(PlacementError) -> [NodeID] {
            try Self.checkPositive(replicationFactor)
            try Self.checkEnoughBrokers(replicationFactor, total: totalCount)
            try Self.checkSomeUnfenced(unfencedCount)
            // A full round done: shuffle so the next round does not repeat the same sets. Never
            // with a single unfenced broker, whose epoch would otherwise never advance.
            if epoch == unfencedCount && unfencedCount > 1 {
                shuffle(random: &random)
                epoch = 0
            }
            if offset == rackNames.count { offset = 0 }
            var brokers: [NodeID] = []
            var firstRackIndex = offset
            while true {
                if let leader = racks[rackNames[firstRackIndex]]?.nextUnfenced(epoch: epoch) {
                    brokers.append(leader)
                    break
                }
                firstRackIndex = (firstRackIndex + 1) % rackNames.count
            }
            var rackIndex = offset
            var leaderRack: Int? = firstRackIndex
            for _ in 1..<replicationFactor {
                var result: NodeID? = nil
                repeat {
                    if rackIndex == leaderRack {
                        leaderRack = nil  // the leader's rack already gave this round's broker
                    } else {
                        result = racks[rackNames[rackIndex]]?.next(epoch: epoch)
                    }
                    rackIndex = (rackIndex + 1) % rackNames.count
                } while result == nil
                if let result { brokers.append(result) }
            }
            epoch += 1
            offset += 1
            return brokers
        }

        mutating func shuffle<R: PlacementRandom>(random: inout R) {
            BrokerList.shuffle(&rackNames, random: &random)
            for name in racks.keys.sorted(by: Self.rackOrder) {
                racks[name]?.fenced.shuffle(random: &random)
                racks[name]?.unfenced.shuffle(random: &random)
            }
        }
    }
}
