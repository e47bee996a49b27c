// Storage room: what a crash does to an open log: every file descriptor is released, nothing
// is synced, trimmed or sealed. What reached the files stays; the next open recovers.

extension PartitionLog {
    /// Releases the log's files the way a killed process does (`broker kill`): no index
    /// trim, no fsync, no clean-shutdown marker. Any later call throws `logClosed`.
    public mutating func abandon() {
        guard !isClosed else { return }
        readers.closeAll()
        active.close(fs)
        isClosed = true
    }
}
