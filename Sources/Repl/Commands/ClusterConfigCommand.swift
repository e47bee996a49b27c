// Repl room: `cluster config`: the timeouts this cluster runs with beside Kafka's defaults,
// and `--set` to change one while the cluster runs, so a learner sees what it governs (a
// longer broker.session.timeout.ms, a slower failover).

import Cluster

enum ClusterConfigCommand: ReplCommand {
    static let spec = CommandSpec(
        ["cluster", "config"], group: "cluster", synopsis: "cluster config [--set NAME=VALUE]",
        help: "Lists the timeouts and intervals every broker runs with, each beside Kafka's default: this classroom uses smaller ones so that fencing, elections and failover take seconds. --set changes one for every running broker at once and for brokers started later (until 'cluster restart'); a real Kafka broker reads these from server.properties when it starts.",
        examples: ["cluster config", "cluster config --set broker.session.timeout.ms=5000"],
        flags: [FlagSpec("--set", value: .choice(ClusterSettings.names.map { $0 + "=" }),
                         help: "NAME=VALUE: the new value, in the unit the name ends with")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let cluster = session.cluster
        for assignment in invocation.values("--set") {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw .usage("--set takes NAME=VALUE, e.g. --set broker.session.timeout.ms=5000; got '\(assignment)'")
            }
            let name = String(assignment[..<equals])
            let value = String(assignment[assignment.index(after: equals)...])
            let before: String
            do {
                before = try await cluster.changeSetting(name, to: value)
            } catch {
                throw .failed(error.message)
            }
            session.out.line("\(name): \(before) → \(value) on every running broker (and brokers started later).")
        }
        guard invocation.values("--set").isEmpty else { return }
        let rows = await cluster.settings.settings.map { [$0.name, $0.value, $0.kafkaDefault, $0.governs] }
        session.out.line(Table(headers: ["NAME", "VALUE", "KAFKA DEFAULT", "WHAT IT GOVERNS"], rows: rows).render())
    }
}
