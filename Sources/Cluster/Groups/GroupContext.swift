// Groups room: what a group decision is given besides the request: the settings, a monotonic
// instant for deadlines, and wall-clock milliseconds for the stamps Kafka stores.

/// `now` drives every timeout; `wallClockMs` only stamps records (commit timestamps, the
/// group's state timestamp) and never decides anything.
struct GroupContext {
    var config: GroupConfig
    var now: Instant
    var wallClockMs: Int64

    /// The same context at an earlier instant (a timer's deadline), wall clock moved back too.
    func at(_ instant: Instant) -> GroupContext {
        GroupContext(
            config: config, now: instant, wallClockMs: wallClockMs &- (now - instant).milliseconds)
    }

    func after(milliseconds ms: Int32) -> Instant { now + .milliseconds(Int64(max(0, ms))) }
    func after(_ duration: Duration) -> Instant { now + duration }
}
