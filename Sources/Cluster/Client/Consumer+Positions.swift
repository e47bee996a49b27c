// Client room: the assign-mode consumer's positions as they stand, without resetting missing
// ones, for a group consumer to commit.

extension Consumer {
    /// The position of every assigned partition that has one (nothing is looked up).
    func knownPositions() -> [TopicPartition: Int64] {
        var out: [TopicPartition: Int64] = [:]
        for tp in assigned {
            if let position = partitions[tp]?.position { out[tp] = position }
        }
        return out
    }
}
