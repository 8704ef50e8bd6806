import Foundation

/// How one attempt of a claimed task ended, decided from what the runner did and why (if at
/// all) it was asked to stop.
enum TaskAttempt {
    /// The outcome to store, or `nil` when the lease was lost and nothing may be written.
    static func outcome(
        of result: Result<(any Encodable & Sendable)?, any Error>, context: TaskContext
    ) -> TaskTransitions.AttemptOutcome? {
        switch context.control.stopReason {
        case .leaseLost:
            return nil
        case .timedOut(let limit):
            return .failed(message: "timed out after \(describe(limit))", permanent: false)
        case .shutdown:
            if case .success(let value) = result { return succeeded(value, context: context) }
            return .released
        case .cancelRequested, nil:
            // A requested cancel is decided by the stored cancel flag in the finish transition.
            switch result {
            case .success(let value): return succeeded(value, context: context)
            case .failure(let error): return failureOutcome(for: error)
            }
        }
    }

    private static func succeeded(
        _ value: (any Encodable & Sendable)?, context: TaskContext
    ) -> TaskTransitions.AttemptOutcome {
        guard let value else { return .succeeded(result: nil, artifact: context.artifact) }
        do {
            let result = try JSONValue(encoding: value)
            try result.checkStorable("the runner's result")
            return .succeeded(result: result, artifact: context.artifact)
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
        return .failed(message: storableMessage(message), permanent: permanent)
    }

    /// A runner's error message as every store can keep it: at most 4,000 characters, with each
    /// NUL character (which PostgreSQL's `text` refuses) shown as U+FFFD.
    static func storableMessage(_ message: String) -> String {
        let kept = message.prefix(4000)
        guard kept.unicodeScalars.contains("\u{0}") else { return String(kept) }
        return String(String.UnicodeScalarView(kept.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
    }

    static func describe(_ duration: Duration) -> String {
        let seconds = duration.timeInterval
        return seconds < 1 ? "\(duration.wholeMilliseconds) ms" : String(format: "%.3g s", seconds)
    }
}
