/// Wraps every attempt a ``WorkerPool`` runs: logging, metrics, tracing, error reporting, a
/// timer. Install values in ``WorkerPool/Configuration/middleware``; the first wraps all the
/// others, and the last wraps the runner itself.
///
/// A middleware sees the task as claimed and its ``TaskContext`` before the attempt. It may
/// decorate the context (``TaskContext/setLogMetadata(_:forKey:)``), then calls `next` (the
/// rest of the chain, then the runner), and sees the outcome: the result `next` returned, or
/// the error it threw. It returns a result or throws, as a runner does: normally what `next`
/// gave. Throwing fails the attempt like a runner's error (retried while attempts remain).
///
/// ```swift
/// struct Timing: TaskAttemptMiddleware {
///     func run(
///         _ task: TaskRecord, context: TaskContext,
///         next: (TaskContext) async throws -> (any Encodable & Sendable)?
///     ) async throws -> (any Encodable & Sendable)? {
///         let start = ContinuousClock.now
///         defer { record(task.type, ContinuousClock.now - start) }
///         return try await next(context)
///     }
/// }
/// ```
public protocol TaskAttemptMiddleware: Sendable {
    /// Runs one attempt of `task` through `next`.
    func run(
        _ task: TaskRecord, context: TaskContext,
        next: (TaskContext) async throws -> (any Encodable & Sendable)?
    ) async throws -> (any Encodable & Sendable)?
}

/// A runner behind a chain of middleware: what a pool runs when middleware is installed.
struct MiddlewareWrappedRunner: TaskRunner {
    let middleware: [any TaskAttemptMiddleware]
    let runner: any TaskRunner

    func run(_ context: TaskContext) async throws -> (any Encodable & Sendable)? {
        try await run(context, from: 0)
    }

    private func run(_ context: TaskContext, from index: Int) async throws -> (any Encodable & Sendable)? {
        guard index < middleware.count else { return try await runner.run(context) }
        return try await middleware[index].run(context.task, context: context) { context in
            try await run(context, from: index + 1)
        }
    }
}
