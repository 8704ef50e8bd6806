import Foundation
import Taskworks

/// Runs one runner as a pool would run one attempt, with no pool and no store: feed it a
/// payload, then read how it ended, its result, every progress report, its log lines and its
/// artifact. A
/// cancel can be triggered mid-run, at a progress value of your choice.
///
/// ```swift
/// @Test func resizeDoublesTheWidth() async throws {
///     let outcome = try await RunnerTest.run(Resize(width: 320), registeredIn: registry)
///     #expect(outcome.status == .succeeded)
///     #expect(try outcome.result(of: Resize.self)?.width == 640)
///     #expect(outcome.progressReports == [25, 50, 75, 100])
/// }
/// ```
public enum RunnerTest {
    /// Runs the runner `registry` has for `definition`'s type with `definition` as the payload:
    /// exactly the code a pool would run, its payload check included.
    ///
    /// - Parameters:
    ///   - definition: the payload, run as a task of `Definition.taskType`.
    ///   - registry: the registry whose runner for that type runs.
    ///   - artifacts: where `context.writeArtifact` writes; `nil` makes it throw, as in a service
    ///     without an artifact store.
    ///   - cancelAtProgress: requests a cancel as soon as the runner reports at least this much
    ///     progress (the runner then sees `isCancelled`, and its Swift task is cancelled).
    /// - Throws: `TaskworksError/Code/unknownTaskType` when the type is not registered,
    ///   `TaskworksError/Code/invalidInput` when the registered type refuses the payload.
    public static func run<Definition: TaskDefinition>(
        _ definition: Definition, registeredIn registry: TaskRegistry, artifacts: (any ArtifactStore)? = nil,
        cancelAtProgress: Int? = nil
    ) async throws -> RunnerTestOutcome {
        let task = testTask(type: Definition.taskType, payload: try JSONValue(encoding: definition))
        return await run(
            try registry.makeRunnerForTesting(task), task: task, artifacts: artifacts,
            cancelAtProgress: cancelAtProgress)
    }

    /// Runs the runner `registry` has for `type` with `payload` (any `Encodable`, or `nil`).
    ///
    /// - Throws: as ``run(_:registeredIn:artifacts:cancelAtProgress:)``.
    public static func run(
        type: String, payload: (any Encodable & Sendable)?, registeredIn registry: TaskRegistry,
        artifacts: (any ArtifactStore)? = nil, cancelAtProgress: Int? = nil
    ) async throws -> RunnerTestOutcome {
        let task = testTask(type: type, payload: try payload.map { try JSONValue(encoding: $0) })
        return await run(
            try registry.makeRunnerForTesting(task), task: task, artifacts: artifacts,
            cancelAtProgress: cancelAtProgress)
    }

    /// Runs `runner` against a task of `type` with `payload`, without a registry.
    ///
    /// - Throws: `TaskworksError/Code/invalidInput` when `payload` cannot be encoded as JSON.
    public static func run(
        _ runner: some TaskRunner, type: String = "test", payload: (any Encodable & Sendable)? = nil,
        artifacts: (any ArtifactStore)? = nil, cancelAtProgress: Int? = nil
    ) async throws -> RunnerTestOutcome {
        let task = testTask(type: type, payload: try payload.map { try JSONValue(encoding: $0) })
        return await run(runner, task: task, artifacts: artifacts, cancelAtProgress: cancelAtProgress)
    }

    private static func run(
        _ runner: any TaskRunner, task: TaskRecord, artifacts: (any ArtifactStore)?, cancelAtProgress: Int?
    ) async -> RunnerTestOutcome {
        let reports = LockedState<[Int]>([])
        let lines = LockedState<[TaskLogRecord]>([])
        let contextBox = LockedState<TaskContext?>(nil)
        let context = TaskContext.forTesting(
            task, artifactStore: artifacts,
            progressObserver: { progress in
                reports.withLock { $0.append(progress) }
                if let cancelAtProgress, progress >= cancelAtProgress {
                    contextBox.withLock { $0 }?.cancelForTesting()
                }
            },
            logHandler: { record in lines.withLock { $0.append(record) } })
        contextBox.withLock { $0 = context }
        let ending = await context.runForTesting(runner)
        contextBox.withLock { $0 = nil }
        return RunnerTestOutcome(
            task: task, status: ending.status, result: ending.result, errorMessage: ending.errorMessage,
            isPermanentFailure: ending.isPermanentFailure, progressReports: reports.withLock { $0 },
            logLines: lines.withLock { $0 }, artifact: ending.status == .succeeded ? context.artifact : nil)
    }

    /// A task as a pool would hand it to a runner: claimed, first attempt.
    private static func testTask(type: String, payload: JSONValue?) -> TaskRecord {
        var task = TaskRecord(type: type, payload: payload, createdBy: "test", createdAt: Date())
        task.status = .running
        task.attempts = 1
        task.startedAt = task.createdAt
        return task
    }
}

/// How one ``RunnerTest`` attempt ended, as the pool would store it.
public struct RunnerTestOutcome: Sendable {
    /// The task the runner ran (type, payload, a fresh id).
    public let task: TaskRecord
    /// `succeeded`, `failed` or `cancelled` (a requested cancel wins over whatever the runner did).
    public let status: TaskStatus
    /// The stored result, when it succeeded with one.
    public let result: JSONValue?
    /// The error message the task would store, when it failed.
    public let errorMessage: String?
    /// Whether the failure is permanent (`TaskFailure/permanent(_:)`, or an unstorable result):
    /// a pool would not retry it.
    public let isPermanentFailure: Bool
    /// Every progress value that moved the progress, in order.
    public let progressReports: [Int]
    /// Every line the runner logged (`context.log`), in order, with its metadata.
    public let logLines: [TaskLogRecord]
    /// The artifact the task would keep (only when it succeeded).
    public let artifact: TaskArtifact?

    /// The result decoded as `T`, or `nil` when there is none.
    ///
    /// - Throws: `TaskworksError/Code/invalidInput` when it does not decode.
    public func result<T: Decodable>(as type: T.Type) throws -> T? {
        try result.map { try $0.decode(T.self) }
    }

    /// The result decoded as `Definition.Result`, or `nil` when there is none.
    ///
    /// - Throws: `TaskworksError/Code/invalidInput` when it does not decode.
    public func result<Definition: TaskDefinition>(of definition: Definition.Type) throws -> Definition
        .Result?
    {
        try result(as: Definition.Result.self)
    }
}
