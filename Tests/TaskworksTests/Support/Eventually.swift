import Testing

/// Thrown when a condition did not become true before its deadline.
struct DeadlineExceeded: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for: \(what)" }
}

/// Polls `condition` every few milliseconds until it holds, failing after `timeout`.
/// Used instead of sleeping: it returns as soon as the condition is met.
func eventually(
    _ what: String, timeout: Duration = .seconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        if ContinuousClock.now >= deadline { throw DeadlineExceeded(what: what) }
        try await Task.sleep(for: .milliseconds(2))
    }
}
