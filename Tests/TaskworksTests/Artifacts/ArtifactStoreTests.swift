import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

@Suite("Artifacts")
struct ArtifactStoreTests {
    private func bytes(of chunks: ArtifactChunks) async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await chunk in chunks { all += chunk }
        return all
    }

    @Test(arguments: [
        "../../etc/passwd", "/etc/passwd", "a\u{0}b", "", "x",
        "3F2504E0-4F89-41D3-9A0C-0305E82C3301-8c1e9a2b44d07f13",  // upper case is not ours
        "3f2504e0-4f89-41d3-9a0c-0305e82c3301",  // no random part
        "3f2504e0-4f89-41d3-9a0c-0305e82c3301-8c1e9a2b44d07f1",  // 15 hex digits
        "3f2504e0-4f89-41d3-9a0c-0305e82c3301-8c1e9a2b44d07f13/x",
        "3f2504e0-4f89-41d3-9a0c-0305e82c3301-../../etc/passw",
    ])
    func keysNotMadeByTheFrameworkAreRefused(text: String) {
        let error = #expect(throws: TaskworksError.self) { try ArtifactKey(validating: text) }
        #expect(error?.code == .invalidInput)
    }

    @Test func generatedKeysValidate() throws {
        let key = ArtifactKey(for: TaskID())
        #expect(try ArtifactKey(validating: key.rawValue) == key)
        #expect(ArtifactKey(for: TaskID()) != ArtifactKey(for: TaskID()))
    }

    @Test func aWriteIsInvisibleUntilItCompletesAndThenWhole() async throws {
        let store = try LocalDirectoryArtifactStore(directory: TemporaryDirectory.make().path)
        let key = ArtifactKey(for: TaskID())
        let halfway = TestGate()
        let finish = TestGate()
        let writing = Task {
            try await store.write(key) { out in
                try await out.write(Array(repeating: UInt8(ascii: "a"), count: 100_000))
                halfway.open()
                try await finish.waitIgnoringCancellation()
                try await out.write("the end\n")
            }
        }
        try await halfway.waitIgnoringCancellation()
        let missing = await #expect(throws: TaskworksError.self) { _ = try await store.size(of: key) }
        #expect(missing?.code == .artifactNotFound)
        #expect(try files(in: store) == [key.rawValue + ".partial"])
        finish.open()
        #expect(try await value(of: writing) == 100_008)
        #expect(try files(in: store) == [key.rawValue])
        let read = try await bytes(of: try await store.read(key))
        #expect(read.count == 100_008)
        #expect(read.suffix(8) == Array("the end\n".utf8))
        let mode =
            try FileManager.default.attributesOfItem(atPath: store.path(for: key))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aFailedOrCancelledWriteLeavesNoFile() async throws {
        struct Broken: Error {}
        let store = try LocalDirectoryArtifactStore(directory: TemporaryDirectory.make().path)
        await #expect(throws: Broken.self) {
            _ = try await store.write(ArtifactKey(for: TaskID())) { out in
                try await out.write(Array(repeating: 1, count: 200_000))
                throw Broken()
            }
        }
        let started = TestGate()
        let cancelled = Task {
            try await store.write(ArtifactKey(for: TaskID())) { out in
                try await out.write("partial")
                started.open()
                try await TestGate().wait()
            }
        }
        try await started.waitIgnoringCancellation()
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { _ = try await value(of: cancelled) }
        #expect(try files(in: store).isEmpty)
    }

    private func serviceWithArtifacts() throws -> (TaskService, LocalDirectoryArtifactStore, TaskRegistry) {
        let artifacts = try LocalDirectoryArtifactStore(directory: TemporaryDirectory.make().path)
        let registry = try Sample.registry()
        try registry.register("report", defaults: TaskTypeDefaults(maxRetries: 0)) { _ in
            ClosureTaskRunner { context in
                try await context.writeArtifact(fileName: "report.csv", contentType: "text/csv") { out in
                    try await out.write("a,b\r\n1,2\r\n")
                }
                if (try? context.payload(as: [String: Bool].self))?["fail"] == true {
                    throw TaskFailure.permanent("failed after writing")
                }
                return nil
            }
        }
        return (
            TaskService(store: InMemoryTaskStore(), registry: registry, artifacts: artifacts), artifacts,
            registry
        )
    }

    @Test func ownersAndAdminsDownloadOthersGetNotFound() async throws {
        let (service, artifacts, _) = try serviceWithArtifacts()
        let pool = WorkerPool(service: service, configuration: Fixtures.poolConfiguration())
        try await withRunningPool(pool) {
            let task = try await service.create("report", createdBy: .user("alice"))
            try await eventually("report done") {
                try await service.task(task.id, as: .system).status == .succeeded
            }
            for caller in [Caller.user("alice"), .admin("root")] {
                let download = try await service.openArtifact(of: task.id, as: caller)
                #expect(download.artifact.fileName == "report.csv")
                #expect(download.artifact.contentType == "text/csv")
                #expect(download.size == 10)
                #expect(try await bytes(of: download.bytes) == Array("a,b\r\n1,2\r\n".utf8))
            }
            await #expect(throws: TaskworksError.taskNotFound(task.id)) {
                _ = try await service.openArtifact(of: task.id, as: .user("bob"))
            }
            // Retrying removes the old file; so does deleting.
            try await service.store.force(task.id) { $0.status = .failed }
            try await service.retry(task.id, as: .user("alice"))
            try await eventually("report done again") {
                try await service.task(task.id, as: .system).status == .succeeded
            }
            #expect(try files(in: artifacts).count == 1)
            try await service.delete(task.id, as: .user("alice"))
            #expect(try files(in: artifacts).isEmpty)
        }
    }

    @Test func aFailedAttemptKeepsNoArtifact() async throws {
        let (service, artifacts, _) = try serviceWithArtifacts()
        let pool = WorkerPool(service: service, configuration: Fixtures.poolConfiguration())
        try await withRunningPool(pool) {
            let task = try await service.create("report", payload: ["fail": true], createdBy: .user("alice"))
            try await eventually("report failed") {
                try await service.task(task.id, as: .system).status == .failed
            }
            try await eventually("file removed") { try files(in: artifacts).isEmpty }
            #expect(try await service.task(task.id, as: .system).artifact == nil)
        }
    }
}

private func files(in store: LocalDirectoryArtifactStore) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted()
}
