/// What the `TaskworksTesting` product needs to run one runner with no pool and no store, ending
/// each attempt by the same rules the pool applies (package access: not part of the public API).
extension TaskContext {
    /// How a test attempt ended, as the pool would store it.
    package struct TestEnding: Sendable {
        package let status: TaskStatus
        package let result: JSONValue?
        package let errorMessage: String?
        package let isPermanentFailure: Bool
    }

    /// A context for `task` whose progress reports go to `progressObserver` and log lines to
    /// `logHandler`.
    package static func forTesting(
        _ task: TaskRecord, artifactStore: (any ArtifactStore)?,
        progressObserver: @escaping @Sendable (Int) -> Void, logHandler: @escaping TaskLogHandler
    ) -> TaskContext {
        TaskContext(
            task: task, artifactStore: artifactStore, progressObserver: progressObserver,
            logHandler: logHandler)
    }

    /// Runs `runner` to its end and says how the pool would end the attempt: a requested cancel
    /// ends it `cancelled` whatever the runner did, a result that cannot be stored fails it.
    package func runForTesting(_ runner: any TaskRunner) async -> TestEnding {
        let result = await control.run(runner, in: self)
        let cancelled = control.stopReason == .cancelRequested
        switch TaskAttempt.outcome(of: result, context: self) {
        case .succeeded(let value, _)?:
            return TestEnding(
                status: cancelled ? .cancelled : .succeeded, result: cancelled ? nil : value,
                errorMessage: nil,
                isPermanentFailure: false)
        case .failed(let message, let permanent)?:
            return TestEnding(
                status: cancelled ? .cancelled : .failed, result: nil,
                errorMessage: cancelled ? nil : message,
                isPermanentFailure: permanent && !cancelled)
        case .released?, nil:
            return TestEnding(status: .cancelled, result: nil, errorMessage: nil, isPermanentFailure: false)
        }
    }

    /// Asks the runner to stop, as a caller's cancel does.
    package func cancelForTesting() {
        control.requestStop(.cancelRequested)
    }
}

extension TaskRegistry {
    /// The runner registered for `task`'s type, made as a pool would make it.
    ///
    /// - Throws: ``TaskworksError/Code/unknownTaskType``, or what the factory throws.
    package func makeRunnerForTesting(_ task: TaskRecord) throws -> any TaskRunner {
        guard let entry = entry(for: task.type) else {
            throw TaskworksError.unknownTaskType(task.type, known: typeNames)
        }
        try entry.factory.validatePayload(task.payload)
        return try entry.factory.makeRunner(for: task)
    }
}
