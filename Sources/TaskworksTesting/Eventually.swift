/// Thrown by ``eventually(_:timeout:pollingEvery:fileID:line:_:)`` when its condition did not
/// hold before the deadline.
public struct DeadlineExceeded: Error, Sendable, CustomStringConvertible {
    /// What was waited for.
    public let what: String
    /// How long it was waited for.
    public let timeout: Duration
    /// Where the wait was written.
    public let fileID: String
    /// The line of the wait in ``fileID``.
    public let line: Int

    /// Makes the error for a wait on `what` that lasted `timeout`.
    public init(what: String, timeout: Duration, fileID: String = #fileID, line: Int = #line) {
        self.what = what
        self.timeout = timeout
        self.fileID = fileID
        self.line = line
    }

    /// `timed out after 20.0 seconds waiting for: … (File.swift:12)`.
    public var description: String { "timed out after \(timeout) waiting for: \(what) (\(fileID):\(line))" }
}

/// Polls `condition` until it holds and returns at once when it does; throws
/// ``DeadlineExceeded`` once `timeout` has passed without it. Use it instead of sleeping in tests:
/// it waits no longer than needed, and never forever.
///
/// ```swift
/// try await eventually("the export finished") {
///     try await service.task(id, as: .system).status == .succeeded
/// }
/// ```
public func eventually(
    _ what: @autoclosure () -> String, timeout: Duration = .seconds(60),
    pollingEvery interval: Duration = .milliseconds(2), fileID: String = #fileID, line: Int = #line,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        guard ContinuousClock.now < deadline else {
            throw DeadlineExceeded(what: what(), timeout: timeout, fileID: fileID, line: line)
        }
        try await Task.sleep(for: interval)
    }
}
