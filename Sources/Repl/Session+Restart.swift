// Repl room: replacing the session's cluster (`cluster restart`, or a lesson's setup going back
// to the starting cluster). Whatever reached the old cluster is stopped or moved to the new one.

import Cluster
import Foundation

/// What a cluster restart did, for the command (or a lesson's setup) to tell.
struct ClusterRestartReport {
    var plan: RestartPlan
    var previousBrokerCount: Int
    var previousDirectory: String
    /// `group/name` of the members stopped because their groups lived on the old cluster.
    var stoppedMembers: [String]
    /// The old cluster's scratch directory, removed once it had shut down.
    var deletedScratch: String?
}

extension Session {
    /// Whether the session runs a scratch cluster of another size than the starting one.
    var onScratchCluster: Bool { cluster.config.dataDirectory != starting.dataDirectory }

    /// Stops the cluster cleanly and starts the one `plan` describes in its place. Group
    /// members are stopped (their groups stay with the old cluster's data), the REPL's client
    /// reconnects on its next use, and lesson checks, completion, `trace` and `status` read the
    /// new cluster. If the new cluster cannot start, the old one starts again from its data.
    func restartCluster(_ plan: RestartPlan) async throws(ReplError) -> ClusterRestartReport {
        let old = cluster
        let oldConfig = old.config
        var report = ClusterRestartReport(
            plan: plan, previousBrokerCount: oldConfig.brokerCount, previousDirectory: oldConfig.dataDirectory,
            stoppedMembers: groupMembers.members.keys.sorted())
        await closeClients()
        let tracing = old.trace.isOn
        old.trace.set(nil)
        await old.shutdown()
        // Said while it stopped, about a cluster that is gone: nothing to act on any more.
        _ = old.notices.drain()
        // From the starting configuration, not the last one: a scratch cluster's voters
        // must not follow the learner back to the starting cluster.
        var config = startingConfig
        config.brokerCount = plan.brokerCount
        config.dataDirectory = plan.dataDirectory
        config.fresh = plan.fresh
        if !plan.isStartingCluster { config.controllers = plan.controllers }
        do {
            adopt(try await Self.startCluster(config), tracing: tracing)
        } catch {
            var previous = oldConfig
            previous.fresh = false
            guard let again = try? await Self.startCluster(previous) else {
                throw .failed("Cannot start \(plan.brokerCount) broker(s): \(error.description) Nor could the "
                    + "\(oldConfig.brokerCount)-broker cluster start again, so no cluster runs now: quit, and start swiftka-learn again.")
            }
            adopt(again, tracing: tracing)
            throw .failed("Cannot start \(plan.brokerCount) broker(s): \(error.description) The \(oldConfig.brokerCount)-broker "
                + "cluster runs again, from \(oldConfig.dataDirectory). Try: broker list")
        }
        if oldConfig.dataDirectory != starting.dataDirectory && oldConfig.dataDirectory != plan.dataDirectory {
            removeScratchDirectory(of: old)
            report.deletedScratch = oldConfig.dataDirectory
        }
        return report
    }

    /// Deletes a cluster's directory if it is a scratch one (never the starting directory).
    /// Call only once that cluster has shut down and released its lock.
    func removeScratchDirectory(of stopped: EmbeddedCluster) {
        let directory = stopped.config.dataDirectory
        guard directory != starting.dataDirectory else { return }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Points everything the session keeps at `next`.
    private func adopt(_ next: EmbeddedCluster, tracing: Bool) {
        cluster = next
        let events = next.events
        lessons.eventsMark = { events.mark }
        // The step goes on, on a cluster whose events start afresh.
        lessons.stepEventMark = events.mark
        consumed = [:]
        if tracing { TraceCommand.attach(self) }
    }

    /// Locks the directory and starts every node; on failure releases what it took.
    private static func startCluster(_ config: EmbeddedClusterConfig) async throws(ClusterError) -> EmbeddedCluster {
        let cluster = try EmbeddedCluster(config: config)
        do {
            try await cluster.start()
        } catch {
            await cluster.shutdown()
            throw error
        }
        return cluster
    }
}
