/// Reads `stream` until `done` says what was read is enough (or the stream ends) and returns it;
/// throws ``DeadlineExceeded`` when `timeout` passes first. The way to wait for events in a test
/// without risking a test that hangs.
///
/// ```swift
/// let events = try service.events(for: .admin("root"))
/// // … create and run a task …
/// let seen = try await collect("the task's events", from: events) { $0.last?.kind == .finished }
/// ```
public func collect<Element: Sendable>(
    _ what: String, from stream: AsyncStream<Element>, timeout: Duration = .seconds(60),
    fileID: String = #fileID, line: Int = #line, until done: @escaping @Sendable ([Element]) -> Bool
) async throws -> [Element] {
    try await withThrowingTaskGroup(of: [Element]?.self) { group in
        group.addTask {
            var seen: [Element] = []
            for await element in stream {
                seen.append(element)
                if done(seen) { break }
            }
            return seen
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard case let seen?? = try await group.next() else {
            throw DeadlineExceeded(what: what, timeout: timeout, fileID: fileID, line: line)
        }
        return seen
    }
}
