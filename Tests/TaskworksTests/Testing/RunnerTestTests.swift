import Foundation
import TaskworksTesting
import Testing

@testable import Taskworks

private struct Thumbnail: TaskDefinition {
    typealias Result = Int
    static let taskType = "thumbnail"
    var width: Int
}

@Suite("RunnerTest: a runner without a pool")
struct RunnerTestTests {
    private static func registry() throws -> TaskRegistry {
        let registry = TaskRegistry()
        try registry.register(Thumbnail.self) { thumbnail, context in
            guard thumbnail.width > 0 else { throw TaskFailure.permanent("width must be positive") }
            for step in 1...4 {
                try context.checkCancellation()
                context.reportProgress(completed: step, of: 4)
            }
            return thumbnail.width / 2
        }
        return registry
    }

    @Test func aRegisteredRunnerRunsWithItsPayloadProgressAndResult() async throws {
        let outcome = try await RunnerTest.run(
            Thumbnail(width: 640), registeredIn: RunnerTestTests.registry())
        #expect(outcome.status == .succeeded)
        #expect(try outcome.result(of: Thumbnail.self) == 320)
        #expect(outcome.progressReports == [25, 50, 75, 100])
        #expect(try outcome.task.payload(of: Thumbnail.self).width == 640)
    }

    @Test(arguments: [25, 50, 75])
    func aCancelMidRunEndsCancelled(at progress: Int) async throws {
        let outcome = try await RunnerTest.run(
            Thumbnail(width: 640), registeredIn: RunnerTestTests.registry(), cancelAtProgress: progress)
        #expect(outcome.status == .cancelled)
        #expect(outcome.progressReports.last == progress)
        #expect(outcome.result == nil)
    }

    @Test func failuresCarryTheirMessageAndWhetherTheyArePermanent() async throws {
        let permanent = try await RunnerTest.run(
            Thumbnail(width: 0), registeredIn: RunnerTestTests.registry())
        #expect(permanent.status == .failed)
        #expect(permanent.errorMessage == "width must be positive")
        #expect(permanent.isPermanentFailure)
        let retried = try await RunnerTest.run(ClosureTaskRunner { _ in throw CocoaError(.fileNoSuchFile) })
        #expect(retried.status == .failed)
        #expect(!retried.isPermanentFailure)
        #expect(retried.errorMessage?.isEmpty == false)
    }

    @Test func logLinesCarryTheAttemptAndTheRunnersOwnMetadata() async throws {
        let outcome = try await RunnerTest.run(
            ClosureTaskRunner { context in
                context.log(.info, "started")
                context.log(.warning, "slow page", metadata: ["page": "3", "task.id": "forged"])
                return nil
            }, type: "pages")
        #expect(outcome.logLines.map(\.message) == ["started", "slow page"])
        #expect(outcome.logLines.map(\.level) == [.info, .warning])
        let tags = try #require(outcome.logLines.last?.metadata)
        #expect(tags["page"] == "3")
        #expect(tags["task.id"] == outcome.task.id.string)
        #expect(tags["task.type"] == "pages" && tags["task.attempt"] == "1")
    }

    @Test func aPoolSendsRunnerLogLinesToTheServicesHandler() async throws {
        let lines = LockedState<[TaskLogRecord]>([])
        var configuration = TaskService.Configuration()
        configuration.runnerLogHandler = { record in lines.withLock { $0.append(record) } }
        let registry = TaskRegistry()
        try registry.register("chatty") { _ in
            ClosureTaskRunner { context in
                context.log(.notice, "hello from attempt \(context.task.attempts)")
                return nil
            }
        }
        let service = TaskService(
            store: InMemoryTaskStore(), registry: registry, configuration: configuration)
        let pool = WorkerPool(service: service, configuration: Fixtures.poolConfiguration())
        let task = try await withRunningPool(pool) {
            let task = try await service.create("chatty", createdBy: .user("alice"))
            try await eventually("chatty ran") {
                try await service.task(task.id, as: .system).status == .succeeded
            }
            return task
        }
        let logged = lines.withLock { $0 }
        #expect(logged.map(\.message) == ["hello from attempt 1"])
        #expect(logged.first?.metadata["task.id"] == task.id.string)
        #expect(TaskLogLevel.debug < .error && TaskLogLevel.notice > .info)
    }

    @Test func aRunnerThatIgnoresACancelStillEndsCancelled() async throws {
        let outcome = try await RunnerTest.run(
            ClosureTaskRunner { context in
                context.reportProgress(60)
                return "finished anyway"
            }, cancelAtProgress: 50)
        #expect(outcome.status == .cancelled)
        #expect(outcome.result == nil)
    }

    @Test func unknownTypesAndRefusedPayloadsAreTypedErrors() async throws {
        let registry = try RunnerTestTests.registry()
        let unknown = await #expect(throws: TaskworksError.self) {
            try await RunnerTest.run(type: "nope", payload: nil, registeredIn: registry)
        }
        #expect(unknown?.code == .unknownTaskType)
        let refused = await #expect(throws: TaskworksError.self) {
            try await RunnerTest.run(type: "thumbnail", payload: ["width": "wide"], registeredIn: registry)
        }
        #expect(refused?.code == .invalidInput)
    }

    @Test func anArtifactIsKeptOnlyWhenTheAttemptSucceeds() async throws {
        let artifacts = try LocalDirectoryArtifactStore(directory: TemporaryDirectory.make().path)
        let writer = ClosureTaskRunner { context in
            try await context.writeArtifact(fileName: "t.png", contentType: "image/png") {
                try await $0.write("png")
            }
            return nil
        }
        let kept = try await RunnerTest.run(writer, artifacts: artifacts)
        #expect(kept.status == .succeeded)
        #expect(kept.artifact?.fileName == "t.png")
        let withoutStore = try await RunnerTest.run(writer)
        #expect(withoutStore.status == .failed)
        #expect(withoutStore.artifact == nil)
    }
}
