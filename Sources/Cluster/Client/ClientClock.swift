// Client room: where the client's two kinds of time come from. Deadlines use a monotonic
// `Instant`; record timestamps (CreateTime) use the wall clock, as Kafka's producer does.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The clocks a client reads: monotonic time for linger, backoff and timeouts, and wall-clock
/// milliseconds for the CreateTime stamped on produced records.
///
/// Injected so that tests of batching can move time by hand; `system` is the edge's real
/// clocks. Kafka's clients read `Time.SYSTEM` the same way.
public struct ClientClock: Sendable {
    public var now: @Sendable () -> Instant
    public var wallClockMilliseconds: @Sendable () -> Int64

    public init(
        now: @escaping @Sendable () -> Instant,
        wallClockMilliseconds: @escaping @Sendable () -> Int64
    ) {
        self.now = now
        self.wallClockMilliseconds = wallClockMilliseconds
    }

    private static let origin = ContinuousClock.now

    /// The process's monotonic clock and the system's real-time clock.
    public static let system = ClientClock(
        now: { Instant(nanoseconds: (ContinuousClock.now - origin).nanosecondsClamped) },
        wallClockMilliseconds: {
            var spec = timespec()
            clock_gettime(CLOCK_REALTIME, &spec)
            return Int64(spec.tv_sec) &* 1000 &+ Int64(spec.tv_nsec) / 1_000_000
        })
}
