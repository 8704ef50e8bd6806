import Foundation

/// Where Taskworks' own messages go (``TaskDiagnostic``): one sink the host makes once and hands
/// to the service (``TaskService/Configuration/diagnostics``, which its worker pools and
/// schedulers use too) and to its store (``FileTaskStore/Options/diagnostics``). The default
/// writes one line per message to standard error, so nothing is lost for hosts that set nothing.
///
/// Repeats are rate-limited: a message identical to one passed on within ``repeatInterval``
/// (same level, text and metadata) is held back and counted. The next one after the interval
/// carries `repeated` = how many were held back. A full disk that fails every write is heard of
/// once per interval, not dozens of times a second.
///
/// ```swift
/// let diagnostics = TaskDiagnostics { diagnostic in
///     logger.log(level: .init(diagnostic.level), "\(diagnostic.message)", metadata: …)
/// }
/// var configuration = TaskService.Configuration()
/// configuration.diagnostics = diagnostics
/// ```
public struct TaskDiagnostics: Sendable {
    /// How long an identical message is held back after one was passed on. Default 10 s.
    public let repeatInterval: Duration
    private let handler: @Sendable (TaskDiagnostic) -> Void
    private let recent: RecentDiagnostics

    /// Makes a sink that passes each message to `handler` (rate-limited as described above).
    public init(
        repeatInterval: Duration = .seconds(10), _ handler: @escaping @Sendable (TaskDiagnostic) -> Void
    ) {
        self.repeatInterval = max(.zero, repeatInterval)
        self.handler = handler
        self.recent = RecentDiagnostics()
    }

    /// The default: each message as one line (``TaskDiagnostic/line``) on standard error.
    public static let standardError = TaskDiagnostics { diagnostic in
        FileHandle.standardError.write(Data((diagnostic.line + "\n").utf8))
    }

    /// Passes on a message unless an identical one was passed on within ``repeatInterval``.
    public func emit(_ level: TaskLogLevel, _ message: String, metadata: [String: String] = [:]) {
        emit(TaskDiagnostic(level: level, message: message, metadata: metadata), at: .now)
    }

    /// ``emit(_:_:metadata:)`` at a given instant (tests pass their own).
    func emit(_ diagnostic: TaskDiagnostic, at now: ContinuousClock.Instant) {
        guard let heldBack = recent.admit(diagnostic, at: now, interval: repeatInterval) else { return }
        var passed = diagnostic
        if heldBack > 0 { passed.metadata["repeated"] = String(heldBack) }
        handler(passed)
    }
}

/// The messages a ``TaskDiagnostics`` passed on lately, and how many repeats of each it held back.
final class RecentDiagnostics: Sendable {
    private struct Seen {
        var passedAt: ContinuousClock.Instant
        var heldBack: Int
    }

    /// At most this many different messages are remembered; older ones are forgotten first.
    static let capacity = 256
    private let seen = LockedState<[TaskDiagnostic: Seen]>([:])

    /// `nil` when `diagnostic` repeats one passed on within `interval` (it is counted); else how
    /// many repeats were held back since the last one passed on (it is passed on now).
    func admit(_ diagnostic: TaskDiagnostic, at now: ContinuousClock.Instant, interval: Duration) -> Int? {
        seen.withLock { seen in
            if var entry = seen[diagnostic], now - entry.passedAt < interval {
                entry.heldBack += 1
                seen[diagnostic] = entry
                return nil
            }
            let heldBack = seen[diagnostic]?.heldBack ?? 0
            if seen.count >= RecentDiagnostics.capacity {
                seen = seen.filter { now - $0.value.passedAt < interval }
                if seen.count >= RecentDiagnostics.capacity { seen.removeAll() }
            }
            seen[diagnostic] = Seen(passedAt: now, heldBack: 0)
            return heldBack
        }
    }
}
