import Foundation

/// One attempt of one claimed task: the runner, and beside it a watcher that renews the lease,
/// stores progress, enforces the timeout and relays stop requests. The two run as child tasks;
/// whichever ends first decides, and the attempt returns only after both have stopped.
struct TaskAttempt: Sendable {
    /// Progress is written at most this often.
    static let progressWriteInterval = Duration.milliseconds(250)

    let service: TaskService
    let configuration: WorkerPool.Configuration
    let context: TaskContext
    let runner: any TaskRunner

    private enum ChildResult: Sendable {
        case runner(Result<(any Encodable & Sendable)?, any Error>)
        case watcher(TaskRecord)
    }

    /// Runs the attempt. Returns how it ended (`nil` when the lease was lost and nothing may be
    /// written) and the newest stored copy of the task the watcher saw.
    func run() async -> (TaskTransitions.AttemptOutcome?, TaskRecord) {
        var runnerResult: Result<(any Encodable & Sendable)?, any Error>?
        var latest = context.task
        await withTaskGroup(of: ChildResult.self) { group in
            group.addTask {
                do {
                    return .runner(.success(try await runner.run(context)))
                } catch {
                    return .runner(.failure(error))
                }
            }
            group.addTask { .watcher(await watch()) }
            for await child in group {
                switch child {
                case .runner(let result):
                    runnerResult = result
                case .watcher(let record):
                    latest = record
                }
                // Either the runner ended (stop the watcher) or the watcher saw a stop request
                // (cancel the runner's task); then wait for the other one.
                group.cancelAll()
            }
        }
        return (outcome(runnerResult), latest)
    }

    private func outcome(
        _ runnerResult: Result<(any Encodable & Sendable)?, any Error>?
    ) -> TaskTransitions.AttemptOutcome? {
        switch context.stopReason {
        case .leaseLost:
            return nil
        case .timedOut(let limit):
            return .failed(message: "timed out after \(TaskAttempt.describe(limit))", permanent: false)
        case .shutdown:
            if case .success(let value) = runnerResult { return succeeded(value) }
            return .released
        case .cancelRequested, nil:
            // A requested cancel is decided by the stored cancel flag in the finish transition.
            switch runnerResult {
            case .success(let value): return succeeded(value)
            case .failure(let error): return TaskAttempt.failureOutcome(for: error)
            case nil: return .failed(message: "the runner ended without a result", permanent: false)
            }
        }
    }

    private func succeeded(_ value: (any Encodable & Sendable)?) -> TaskTransitions.AttemptOutcome {
        guard let value else { return .succeeded(result: nil, artifact: context.artifact) }
        do {
            return .succeeded(result: try JSONValue(encoding: value), artifact: context.artifact)
        } catch {
            return .failed(
                message: "the runner's result could not be stored as JSON: \(error)", permanent: true)
        }
    }

    static func failureOutcome(for error: any Error) -> TaskTransitions.AttemptOutcome {
        let message: String
        var permanent = false
        switch error {
        case let failure as TaskFailure:
            message = failure.message
            permanent = failure.isPermanent
        case let error as TaskworksError:
            message = error.message
        case is CancellationError:
            message = "the runner stopped with CancellationError although nobody cancelled the task"
        default:
            message = String(describing: error)
        }
        return .failed(message: String(message.prefix(4000)), permanent: permanent)
    }

    static func describe(_ duration: Duration) -> String {
        let seconds = duration.seconds
        return seconds < 1 ? "\(duration.wholeMilliseconds) ms" : String(format: "%.3g s", seconds)
    }

    // MARK: - The watcher

    /// Renews the lease, writes progress, enforces the timeout; returns when the attempt must
    /// stop (after recording why in the context) or when cancelled because the runner ended.
    private func watch() async -> TaskRecord {
        let clock = ContinuousClock()
        let started = clock.now
        let owner = configuration.workerID
        let timeoutDeadline = context.task.timeout.map { started + $0 }
        var latest = context.task
        var nextRenewal = started + configuration.effectiveRenewalInterval
        var lastProgressWrite = started - TaskAttempt.progressWriteInterval
        var unwrittenProgress: Int?
        while !Task.isCancelled {
            if context.stopReason != nil { return latest }
            let now = clock.now
            if let timeoutDeadline, let limit = context.task.timeout, now >= timeoutDeadline {
                context.requestStop(.timedOut(limit))
                return latest
            }
            if let progress = context.takeDirtyProgress() { unwrittenProgress = progress }
            let progressDue =
                unwrittenProgress != nil
                && now >= lastProgressWrite + TaskAttempt.progressWriteInterval
            if progressDue || now >= nextRenewal {
                let progress = unwrittenProgress
                unwrittenProgress = nil
                if progress != nil { lastProgressWrite = now }
                nextRenewal = now + configuration.effectiveRenewalInterval
                do {
                    latest = try await service.mutate(latest.id, startingFrom: latest) { current in
                        guard
                            let next = TaskTransitions.renew(
                                current, owner: owner, progress: progress, now: service.clock.now(),
                                leaseDuration: configuration.leaseDuration)
                        else { return nil }
                        return (next, next.progress != current.progress ? .progress : nil)
                    }
                } catch {
                    configuration.storeErrorHandler(error)
                }
                if latest.status != .running || latest.leaseOwner != owner {
                    context.requestStop(.leaseLost)
                    return latest
                }
                if latest.cancelRequested {
                    context.requestStop(.cancelRequested)
                    return latest
                }
                continue
            }
            var wake = nextRenewal
            if let timeoutDeadline { wake = min(wake, timeoutDeadline) }
            if unwrittenProgress != nil {
                wake = min(wake, lastProgressWrite + TaskAttempt.progressWriteInterval)
            }
            await context.watcherSignal.wait(timeout: wake - now)
        }
        return latest
    }
}
