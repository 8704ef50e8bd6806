import Taskworks

/// Waits for `task` to finish and returns its value (or rethrows its error), but never longer
/// than `timeout`: then it throws ``DeadlineExceeded`` and cancels `task`, instead of hanging the
/// test. Use it wherever a test would write `try await task.value`.
///
/// ```swift
/// let running = Task { try await pool.run() }
/// pool.shutdown()
/// try await value(of: running, "the pool to stop")
/// ```
public func value<Success: Sendable>(
    of task: Task<Success, any Error>, _ what: @autoclosure () -> String = "a task to finish",
    within timeout: Duration = .seconds(60), fileID: String = #fileID, line: Int = #line
) async throws -> Success {
    let timedOut = DeadlineExceeded(what: what(), timeout: timeout, fileID: fileID, line: line)
    let outcome = LockedState<CheckedContinuation<Success, any Error>?>(nil)
    let finish: @Sendable (Result<Success, any Error>) -> Void = { result in
        outcome.withLock { continuation in
            defer { continuation = nil }
            return continuation
        }?.resume(with: result)
    }
    var timer: Task<Void, Never>?
    defer { timer?.cancel() }
    return try await withCheckedThrowingContinuation { continuation in
        outcome.withLock { $0 = continuation }
        timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            task.cancel()
            finish(.failure(timedOut))
        }
        Task { finish(await task.result) }
    }
}

/// ``value(of:_:within:fileID:line:)`` for a task that cannot fail.
public func value<Success: Sendable>(
    of task: Task<Success, Never>, _ what: @autoclosure () -> String = "a task to finish",
    within timeout: Duration = .seconds(60), fileID: String = #fileID, line: Int = #line
) async throws -> Success {
    try await value(
        of: Task<Success, any Error> { await task.value }, what(), within: timeout, fileID: fileID, line: line
    )
}
