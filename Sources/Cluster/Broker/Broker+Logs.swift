// Broker room: the partition logs this broker hosts. Follows the metadata image (open a log
// when a partition is placed here, delete it when its topic goes), and starts and stops them
// with Kafka's checkpoints and clean-shutdown marker.

import NIOCore

extension Broker {
    /// Reads the checkpoints left by the last run. After a clean shutdown the recovery points
    /// let each log skip validation; after a crash every segment past them is re-checked.
    public mutating func loadCheckpoints() {
        let clean = Checkpoints.hadCleanShutdown(in: logDirectory, fs: fs)
        let recovery = try? Checkpoints.read(StoragePath.join(logDirectory, Checkpoints.recoveryPointFileName), fs: fs)
        logStartOffsets = (try? Checkpoints.read(StoragePath.join(logDirectory, Checkpoints.logStartOffsetFileName), fs: fs)) ?? [:]
        highWatermarks = (try? Checkpoints.read(StoragePath.join(logDirectory, Checkpoints.replicationOffsetFileName), fs: fs)) ?? [:]
        recoveryPoints = clean ? (recovery ?? [:]) : nil
        let hasLogs = ((try? fs.list(logDirectory)) ?? []).contains {
            $0 != MetadataLogStore.directoryName && TopicPartition(directoryName: $0) != nil
        }
        if !clean && hasLogs {
            notices.append("broker \(identity.nodeID): no clean-shutdown marker, so every partition's log is checked for a torn tail")
        }
        try? Checkpoints.removeCleanShutdown(in: logDirectory, fs: fs)
    }

    /// Adopts a new metadata image: opens logs for partitions placed here, drops logs of
    /// topics that were deleted, and applies changed topic configs. An image older than the
    /// one held (a lower offset) is ignored: applying it would delete the logs of every topic
    /// created since, as if they had been removed.
    public mutating func apply(image newImage: MetadataImage, now: Instant, wallClockMs: Int64) {
        guard newImage.offset >= image.offset else { return }
        image = newImage
        var wanted: Set<TopicPartition> = []
        for name in newImage.topicNames {
            guard let topic = newImage.topic(name) else { continue }
            let config = logConfig(for: topic)
            for partition in topic.partitions where partition.replicas.contains(identity.nodeID) {
                let tp = TopicPartition(topic: name, partition: partition.partition)
                wanted.insert(tp)
                if var log = logs[tp] {
                    if log.topicId != topic.id {
                        deleteLog(tp)
                    } else if log.config != config {
                        log.updateConfig(config)
                        logs[tp] = log
                        continue
                    } else {
                        continue
                    }
                }
                openLog(tp, topicId: topic.id, config: config, now: now, wallClockMs: wallClockMs)
            }
        }
        for tp in logs.keys.sorted() where !wanted.contains(tp) { deleteLog(tp) }
        applyReplicaRoles(now: now)
        followOffsetsPartitions(now: now, wallClockMs: wallClockMs)
        // Leaders may have moved: a parked request may have its answer (or its error) now.
        completeDelayedOperations(now: now, everything: true)
    }

    /// The log config for a topic: Kafka's defaults overridden by the topic's configs.
    func logConfig(for topic: TopicImage) -> LogConfig {
        switch LogConfig.parse(topic.configs) {
        case .success(let config): return config
        case .failure: return .default
        }
    }

    private mutating func openLog(_ tp: TopicPartition, topicId: Uuid, config: LogConfig, now: Instant, wallClockMs: Int64) {
        let directory = StoragePath.join(logDirectory, tp.directoryName)
        do {
            let (log, report) = try PartitionLog.open(
                directory: directory, topicId: topicId, config: config, fs: fs,
                recoveryPoint: recoveryPoints.map { $0[tp] ?? 0 }, logStartOffset: logStartOffsets[tp],
                highWatermark: highWatermarks[tp], now: now, wallClockMs: wallClockMs)
            logs[tp] = log
            producerStates[tp] = rebuildProducerState(log)
            if report.truncatedBytes > 0 {
                notices.append("broker \(identity.nodeID): recovered \(tp): cut \(report.truncatedBytes) byte(s), "
                               + "\(report.truncatedBatches) batch(es) after the last valid batch")
            }
        } catch {
            notices.append("broker \(identity.nodeID): cannot open the log of \(tp): \(error)")
        }
    }

    /// Kafka rebuilds producer state from the log (or its snapshots) at start-up; we read the
    /// batch headers of the newest segments so that idempotent producers carry on after a restart.
    func rebuildProducerState(_ log: PartitionLog) -> ProducerStateTable {
        var table = ProducerStateTable()
        for segment in log.segments.suffix(2) {
            guard var batches = try? log.batches(inSegment: segment.baseOffset) else { continue }
            while let entry = batches.next() {
                let h = entry.header
                table.record(h, firstOffset: h.baseOffset, lastOffset: h.lastOffset)
            }
        }
        return table
    }

    private mutating func deleteLog(_ tp: TopicPartition) {
        guard var log = logs.removeValue(forKey: tp) else { return }
        try? log.close()
        producerStates[tp] = nil
        // As Kafka does: rename to `<topic>-<partition>.<topic id>-delete` at once (so a new topic
        // of the same name starts clean), then delete the files.
        let trash = StoragePath.join(logDirectory, "\(tp.directoryName).\(log.topicId)-delete")
        if (try? fs.rename(StoragePath.join(logDirectory, tp.directoryName), to: trash)) != nil {
            for name in (try? fs.list(trash)) ?? [] { try? fs.delete(StoragePath.join(trash, name)) }
        }
        notices.append("broker \(identity.nodeID): deleted the log of \(tp) (its topic was deleted)")
    }

    /// A clean shutdown: flush and close every log, write the checkpoints and the marker that
    /// lets the next start skip recovery.
    public mutating func shutdownCleanly(brokerEpoch: Int64 = -1) {
        var recovery: [TopicPartition: Int64] = [:]
        var starts: [TopicPartition: Int64] = [:]
        var highWatermarks: [TopicPartition: Int64] = [:]
        for tp in logs.keys.sorted() {
            guard var log = logs[tp] else { continue }
            try? log.flush()
            try? log.close()
            recovery[tp] = log.logEndOffset
            starts[tp] = log.logStartOffset
            highWatermarks[tp] = log.highWatermark
            logs[tp] = log
        }
        try? Checkpoints.write(recovery, to: StoragePath.join(logDirectory, Checkpoints.recoveryPointFileName), fs: fs)
        try? Checkpoints.write(starts, to: StoragePath.join(logDirectory, Checkpoints.logStartOffsetFileName), fs: fs)
        try? Checkpoints.write(highWatermarks, to: StoragePath.join(logDirectory, Checkpoints.replicationOffsetFileName), fs: fs)
        try? Checkpoints.writeCleanShutdown(in: logDirectory, brokerEpoch: brokerEpoch, fs: fs)
        logs = [:]
    }

    /// Periodic work: retention every `log.retention.check.interval.ms`, expired long polls.
    public mutating func tick(now: Instant, wallClockMs: Int64) -> [DeferredReply] {
        if now - lastRetentionCheck >= retentionCheckInterval {
            lastRetentionCheck = now
            for tp in logs.keys.sorted() {
                guard var log = logs.removeValue(forKey: tp) else { continue }
                if let result = try? log.applyRetention(nowWallClockMs: wallClockMs), !result.deleted.isEmpty {
                    notices.append("broker \(identity.nodeID): retention deleted \(result.deleted.count) segment(s) of \(tp); "
                                   + "log start offset is now \(log.logStartOffset)")
                }
                logs[tp] = log
            }
        }
        applyGroupEffects(groups.tick(now: now), now: now, wallClockMs: wallClockMs)
        shrinkIsrsIfNeeded(now: now)
        completeDelayedOperations(now: now)
        return takeDeferred()
    }

    /// The next time `tick` has work: the earliest parked request's deadline, group deadline
    /// (sessions, rebalances), ISR check or retention check.
    public var nextDeadline: Instant {
        let retention = lastRetentionCheck + retentionCheckInterval
        let isrCheck = partitionReplicas.values.contains { $0.isLeader && $0.replicas.count > 1 } ? nextIsrCheck : nil
        return [delayed.earliestDeadline, groups.nextDeadline, isrCheck]
            .compactMap { $0 }.reduce(retention, min)
    }

    public mutating func drainNotices() -> [String] {
        defer { notices = [] }
        return notices
    }
}
