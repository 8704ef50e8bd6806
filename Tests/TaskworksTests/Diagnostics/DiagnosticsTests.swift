import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// Taskworks' own messages reach the host's one sink, tagged with where they come from, and
/// repeats are held back rather than flooding it.
@Suite("Diagnostics")
struct DiagnosticsTests {
    /// A sink that keeps what it was given.
    final class Recorder: Sendable {
        let received = LockedState<[TaskDiagnostic]>([])
        var sink: TaskDiagnostics {
            TaskDiagnostics { diagnostic in self.received.withLock { $0.append(diagnostic) } }
        }
        var all: [TaskDiagnostic] { received.withLock { $0 } }
    }

    @Test func anIdenticalMessageIsHeldBackWithinTheIntervalAndCountedOnTheNextOne() {
        let recorder = Recorder()
        let sink = TaskDiagnostics(repeatInterval: .seconds(10)) { diagnostic in
            recorder.received.withLock { $0.append(diagnostic) }
        }
        let start = ContinuousClock.now
        let full = TaskDiagnostic(level: .error, message: "disk full", metadata: ["component": "worker-pool"])
        for offset in 0..<5 { sink.emit(full, at: start + .seconds(offset)) }
        // Another message, or the same text with other metadata, is not a repeat.
        sink.emit(
            TaskDiagnostic(level: .error, message: "disk full", metadata: ["component": "file-store"]),
            at: start)
        sink.emit(
            TaskDiagnostic(level: .warning, message: "disk full", metadata: ["component": "worker-pool"]),
            at: start)
        #expect(recorder.all.count == 3)
        sink.emit(full, at: start + .seconds(11))
        let last = recorder.all.last
        #expect(last?.message == "disk full")
        #expect(last?.metadata["repeated"] == "4")
        #expect(last?.metadata["component"] == "worker-pool")
    }

    @Test func theLineSaysLevelComponentMessageAndDetails() {
        let diagnostic = TaskDiagnostic(
            level: .warning, message: "dropped a torn record",
            metadata: ["component": "file-store", "store.path": "/var/tasks", "repeated": "2"])
        #expect(
            diagnostic.line
                == "taskworks: [warning] file-store: dropped a torn record (repeated=2, store.path=/var/tasks)"
        )
    }

    @Test func aCallbackThatThrowsIsAnErrorNamingTheTask() async throws {
        let recorder = Recorder()
        let registry = try Sample.registry()
        struct Refused: Error {}
        registry.onComplete(of: "noop") { _ in throw Refused() }
        var configuration = TaskService.Configuration()
        configuration.diagnostics = recorder.sink
        let service = TaskService(
            store: InMemoryTaskStore(), registry: registry, configuration: configuration)
        let task = try await service.create("noop", createdBy: .user("alice"))
        _ = try await service.cancel(task.id, as: .user("alice"))
        await service.waitForCallbacks()
        let diagnostic = try #require(recorder.all.first)
        #expect(diagnostic.level == .error)
        #expect(diagnostic.metadata["component"] == "service")
        #expect(diagnostic.metadata["task.id"] == task.id.description)
        #expect(diagnostic.metadata["task.type"] == "noop")
        #expect(diagnostic.message.contains("Refused"))
    }

    @Test func aPoolsStoreErrorsGoToTheServicesSinkWithTheWorkerID() async throws {
        let recorder = Recorder()
        let store = StoreErrorThrottleTests.FullDiskStore(base: InMemoryTaskStore())
        var serviceConfiguration = TaskService.Configuration()
        serviceConfiguration.diagnostics = recorder.sink
        let service = TaskService(
            store: store, registry: try Sample.registry(), configuration: serviceConfiguration)
        var configuration = Fixtures.poolConfiguration(concurrency: 2)
        configuration.workerID = "worker-under-test"
        let pool = WorkerPool(service: service, configuration: configuration)
        try await withRunningPool(pool) {
            for _ in 0..<10 { _ = try await service.create("noop", createdBy: .user("alice")) }
            try await eventually("an outcome write failed and was reported") { !recorder.all.isEmpty }
        }
        let diagnostic = try #require(recorder.all.first)
        #expect(diagnostic.level == .error)
        #expect(diagnostic.metadata["component"] == "worker-pool")
        #expect(diagnostic.metadata["worker.id"] == "worker-under-test")
        #expect(diagnostic.message.contains("No space left on device"))
        // Ten failed writes of one message: held back, not ten reports.
        #expect(recorder.all.count < 10)
    }

    @Test func aFileStoreWarningNamesTheStore() async throws {
        let directory = try TemporaryDirectory.make().path
        let store = try await FileTaskStore(directory: directory, options: .init(durability: .none))
        _ = try await store.insert(Sample.record(type: "noop"))
        await store.close()
        // A process died half-way through a record: the next open drops it, with a warning.
        let journal = try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("journal-") })
        var frame: [UInt8] = []
        JournalEntry.appendTask(Sample.record(type: "noop"), to: &frame)
        let handle = try #require(FileHandle(forWritingAtPath: directory + "/" + journal))
        handle.seekToEndOfFile()
        handle.write(Data(frame.prefix(60)))  // a write cut short
        try handle.close()
        let recorder = Recorder()
        var options = FileTaskStore.Options(durability: .none)
        options.diagnostics = recorder.sink
        let reopened = try await FileTaskStore(directory: directory, options: options)
        await reopened.close()
        let diagnostic = try #require(recorder.all.first)
        #expect(diagnostic.level == .warning)
        #expect(diagnostic.metadata["component"] == "file-store")
        #expect(diagnostic.metadata["store.path"] == directory)
        #expect(diagnostic.message.contains("torn"))
    }

    @Test func aSkippedTickIsANoticeNamingTheSchedule() async throws {
        let recorder = Recorder()
        var configuration = TaskService.Configuration()
        configuration.diagnostics = recorder.sink
        let service = TaskService(
            store: InMemoryTaskStore(), registry: try Sample.registry(), configuration: configuration)
        let scheduler = TaskScheduler(service: service)
        try scheduler.add(try TaskSchedule(name: "hourly", taskType: "noop", trigger: .cron("0 * * * *")))
        _ = try await scheduler.runNow("hourly")
        _ = try await scheduler.runNow("hourly")  // the first run is still pending: skipped
        let diagnostic = try #require(recorder.all.first)
        #expect(diagnostic.level == .notice)
        #expect(diagnostic.metadata["component"] == "scheduler")
        #expect(diagnostic.metadata["schedule"] == "hourly")
        #expect(diagnostic.message.contains("still pending"))
    }
}
