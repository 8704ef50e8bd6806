import Foundation
import Taskworks
import TaskworksTesting
import Testing

/// The code of the DocC article *Choosing and running a store*, compiled and run: the file store
/// opened as the article opens it, and the backup it describes (`flock` on the store's lock file
/// around a copy) taken while a writer keeps creating tasks.
@Suite("Article: Choosing and running a store")
struct StoresArticleTests {
    @Test func theFileStoreOpensAsTheArticleShowsAndReopensWithItsTasks() async throws {
        let directory = try TemporaryDirectory.make().appendingPathComponent("tasks").path
        let registry = TaskRegistry()
        try registry.register("report") { _ in ClosureTaskRunner { _ in nil } }
        // readme:begin stores-file-store
        let store = try await FileTaskStore(
            directory: directory, options: .init(durability: .synchronous, createDirectory: true))
        let service = TaskService(store: store, registry: registry)
        // readme:end stores-file-store
        let created = try await service.create("report", createdBy: .user("alice"))
        await store.close()
        let reopened = TaskService(store: try await FileTaskStore(directory: directory), registry: registry)
        #expect(try await reopened.task(created.id, as: .user("alice")).status == .pending)
    }

    /// A copy taken with `flock LOCK cp -a` while another store handle keeps creating tasks opens
    /// as a store, holds every task created before the copy began, and nothing it holds differs
    /// from what was created.
    @Test func aCopyTakenUnderTheLockFileOpensWithEveryTaskCreatedBeforeIt() async throws {
        let root = try TemporaryDirectory.make()
        let directory = root.appendingPathComponent("tasks").path
        let backup = root.appendingPathComponent("backup").path
        var options = FileTaskStore.Options(createDirectory: true)
        options.compactionThreshold = 16 * 1024  // compactions happen during the copy too
        let store = try await FileTaskStore(directory: directory, options: options)
        let registry = TaskRegistry()
        try registry.register("report") { _ in ClosureTaskRunner { _ in nil } }
        let service = TaskService(store: store, registry: registry)
        for index in 0..<200 {
            _ = try await service.create("report", payload: ["n": index], createdBy: .system)
        }
        let writer = Task {
            var created: [TaskRecord] = []
            while !Task.isCancelled, created.count < 5_000 {
                created.append(
                    try await service.create("report", payload: ["n": created.count], createdBy: .system))
            }
            return created
        }
        let before = try await service.list(TaskQuery(pageSize: 100), as: .system).total
        let copy = Process()
        copy.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        copy.arguments = ["\(directory)/lock", "cp", "-a", directory, backup]
        try copy.run()
        try await eventually("the backup copy to finish") { !copy.isRunning }
        copy.waitUntilExit()
        #expect(copy.terminationStatus == 0)
        writer.cancel()
        let written = try await value(of: writer, within: .seconds(60))
        await store.close()

        let restored = try await FileTaskStore(directory: backup)
        let tasks = try await restored.scanTasks(after: nil, limit: 10_000)
        await restored.close()
        #expect(!written.isEmpty)  // the writer ran while the copy was taken
        #expect(tasks.count >= before)
        let stored = Dictionary(uniqueKeysWithValues: written.map { ($0.id, $0) })
        for task in tasks where stored[task.id] != nil { #expect(task == stored[task.id]) }
    }
}
