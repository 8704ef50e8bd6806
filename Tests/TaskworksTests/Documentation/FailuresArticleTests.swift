import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC article *Failures and retries*, compiled and run on a manual clock.
enum FailuresArticle {
    struct ImportRequest: Codable, Sendable { var file: String }

    /// A source whose first `failures` fetches fail, as a flaky network would.
    final class Source: Sendable {
        private let failuresLeft: LockedState<Int>
        init(failures: Int) { failuresLeft = LockedState(failures) }

        func fetch(_ file: String) async throws {
            struct ConnectionReset: Error, CustomStringConvertible {
                var description: String { "connection reset" }
            }
            let fails = failuresLeft.withLock { left -> Bool in
                guard left > 0 else { return false }
                left -= 1
                return true
            }
            if fails { throw ConnectionReset() }
        }
    }

    // readme:begin failures-runner
    struct ImportRunner: TaskRunner {
        let source: Source

        func run(_ context: TaskContext) async throws -> (any Encodable & Sendable)? {
            let request = try context.payload(as: ImportRequest.self)
            guard !request.file.isEmpty else {
                throw TaskFailure.permanent("no file to import")  // failed at once, never retried
            }
            try await source.fetch(request.file)  // any other error fails the attempt: retried
            return nil
        }
    }
    // readme:end failures-runner
}

@Suite("Article: Failures and retries")
struct FailuresArticleTests {
    typealias ImportRunner = FailuresArticle.ImportRunner
    typealias ImportRequest = FailuresArticle.ImportRequest

    @Test func aFlakyFetchIsRetriedWithBackoffAndABadRequestIsNot() async throws {
        let clock = ManualTaskClock()
        let registry = TaskRegistry()
        let source = FailuresArticle.Source(failures: 2)
        let service = TaskService(store: InMemoryTaskStore(), registry: registry, clock: clock)
        // readme:begin failures-configuration
        try registry.register("import", defaults: .init(maxRetries: 3, timeout: .seconds(600))) { _ in
            ImportRunner(source: source)
        }
        var configuration = WorkerPool.Configuration()
        configuration.retryPolicy = RetryPolicy(
            initialDelay: .seconds(1), multiplier: 2, maximumDelay: .seconds(300), jitter: 0.2)
        // readme:end failures-configuration
        let policy = RetryPolicy(
            initialDelay: .seconds(1), multiplier: 2, maximumDelay: .seconds(300), jitter: 0)
        let flaky = try await service.create(
            "import", payload: ImportRequest(file: "a.csv"), createdBy: .system)
        let empty = try await service.create("import", payload: ImportRequest(file: ""), createdBy: .system)
        _ = try await service.drainInline(retryPolicy: policy)
        let waiting = try await service.task(flaky.id, as: .system)
        #expect(waiting.status == .pending && waiting.attempts == 1)
        #expect(waiting.errorMessage == "connection reset", "the reason stays visible while a retry waits")
        #expect(waiting.runAfter == clock.now().addingTimeInterval(1))
        let refused = try await service.task(empty.id, as: .system)
        #expect(refused.status == .failed && refused.attempts == 1)
        #expect(refused.errorMessage == "no file to import")
        clock.advance(by: 1)  // the first retry comes due; it fails and waits 2 s
        _ = try await service.drainInline(retryPolicy: policy)
        #expect(try await service.task(flaky.id, as: .system).runAfter == clock.now().addingTimeInterval(2))
        clock.advance(by: 2)
        _ = try await service.drainInline(retryPolicy: policy)
        let done = try await service.task(flaky.id, as: .system)
        #expect(done.status == .succeeded && done.attempts == 3 && done.errorMessage == nil)

        // readme:begin failures-retry-by-hand
        let task = try await service.task(empty.id, as: .system)
        if task.status == .failed {
            try await service.retry(task.id, as: .system)  // pending again, its attempts from zero
        }
        // readme:end failures-retry-by-hand
        let retried = try await service.task(empty.id, as: .system)
        #expect(retried.status == .pending && retried.manualRetries == 1)
    }
}
