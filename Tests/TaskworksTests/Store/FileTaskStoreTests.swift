import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

@Suite("File store")
struct FileTaskStoreTests {
    private func bytes(_ url: URL) throws -> [String: Data] {
        try FileStoreCorruptionTests.files(url)
    }

    private func append(_ text: String, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// A store with a few tasks in several states, closed again.
    private func seededDirectory(durability: FileTaskStore.Durability = .synchronous) async throws -> (
        URL, [TaskRecord]
    ) {
        let directory = try TemporaryDirectory.make()
        let store = try await FileTaskStore(directory: directory.path, options: .init(durability: durability))
        var records: [TaskRecord] = []
        for index in 0..<5 {
            records.append(
                try await store.insert(
                    Fixtures.record(
                        priority: 1 + index, createdAt: Fixtures.start.addingTimeInterval(Double(index)))))
        }
        let claimed = try await store.claim(
            Sample.claim(now: Fixtures.start.addingTimeInterval(10), limit: 2))
        var failed = claimed[1]
        failed.status = .failed
        failed.errorMessage = "boom \"quoted\" ü"
        _ = try await store.update(failed, expectedVersion: failed.version)
        await store.close()
        var final: [TaskRecord] = []
        let reader = try await FileTaskStore(directory: directory.path)
        for record in records { final.append(try #require(try await reader.task(id: record.id))) }
        await reader.close()
        return (directory, final)
    }

    @Test(arguments: [FileTaskStore.Durability.synchronous, .batched(.milliseconds(5)), .none])
    func everythingSurvivesAReopen(durability: FileTaskStore.Durability) async throws {
        let (directory, records) = try await seededDirectory(durability: durability)
        let reopened = try await FileTaskStore(directory: directory.path)
        #expect(reopened.openWarnings.isEmpty)
        for record in records {
            #expect(try await reopened.task(id: record.id) == record)
        }
        #expect(records.filter { $0.status == .running }.count == 1)
        #expect(records.first { $0.status == .failed }?.errorMessage == "boom \"quoted\" ü")
        let counts = try await reopened.counts(createdBy: nil)
        #expect(counts.byStatus == [.pending: 3, .running: 1, .failed: 1])
        // The claim order survives too: the highest-priority pending task comes next.
        let next = try await reopened.claim(Sample.claim(now: Fixtures.start.addingTimeInterval(20)))
        #expect(next.first?.priority == 3)
    }

    @Test func compactionStartsANewGenerationAndLosesNothing() async throws {
        let directory = try TemporaryDirectory.make()
        var options = FileTaskStore.Options()
        options.compactionThreshold = 4096
        let store = try await FileTaskStore(directory: directory.path, options: options)
        let watcher = try await FileTaskStore(directory: directory.path)  // another "process"
        var ids: [TaskID] = []
        for index in 0..<60 {
            let record = try await store.insert(
                Fixtures.record(createdAt: Fixtures.start.addingTimeInterval(Double(index))))
            ids.append(record.id)
            try await store.force(record.id) { $0.progress = index % 100 }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        let journals = names.filter { $0.hasPrefix("journal-") }
        #expect(journals.count == 1)
        #expect(journals != ["journal-1.jsonl"], "the journal should have rotated at least once: \(names)")
        // The other instance follows the rotations by reading only new journal lines.
        for (index, id) in ids.enumerated() {
            #expect(try await watcher.task(id: id)?.progress == index % 100)
        }
        await store.close()
        await watcher.close()
        let reopened = try await FileTaskStore(directory: directory.path)
        #expect(try await reopened.counts(createdBy: nil).total == 60)
        for (index, id) in ids.enumerated() {
            #expect(try await reopened.task(id: id)?.progress == index % 100)
        }
    }

    @Test func twoInstancesSeeEachOthersWritesAndNeverClaimTheSameTask() async throws {
        let directory = try TemporaryDirectory.make()
        let first = try await FileTaskStore(directory: directory.path)
        let second = try await FileTaskStore(directory: directory.path)
        let inserted = try await first.insert(Fixtures.record())
        #expect(try await second.task(id: inserted.id) == inserted)
        for index in 0..<300 {
            _ = try await (index % 2 == 0 ? first : second).insert(
                Fixtures.record(createdAt: Fixtures.start.addingTimeInterval(Double(index))))
        }
        let now = Fixtures.start.addingTimeInterval(1000)
        let claimed = try await withThrowingTaskGroup(of: [TaskID].self) { group in
            for (number, store) in [first, second, first, second].enumerated() {
                group.addTask {
                    var mine: [TaskID] = []
                    while true {
                        let batch = try await store.claim(Sample.claim("w\(number)", now: now, limit: 3))
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            var all: [TaskID] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(claimed.count == 301)
        #expect(Set(claimed).count == 301)
    }

    /// Read sizes for the journal: the default, one byte, and sizes that split records anywhere
    /// (a record is a few hundred bytes).
    static let readChunks = [4 << 20, 1, 37, 256]

    @Test(arguments: FileTaskStoreTests.readChunks)
    func aJournalReadInPiecesOfAnySizeGivesTheSameStore(chunk: Int) async throws {
        let (directory, records) = try await seededDirectory()
        var options = FileTaskStore.Options()
        options.journalReadChunk = chunk
        let store = try await FileTaskStore(directory: directory.path, options: options)
        #expect(store.openWarnings.isEmpty)
        for record in records { #expect(try await store.task(id: record.id) == record) }
        #expect(try await store.counts(createdBy: nil).byStatus == [.pending: 3, .running: 1, .failed: 1])
        // Records appended by another store on the same files are caught up in pieces too.
        let writer = try await FileTaskStore(directory: directory.path)
        let added = try await writer.insert(Fixtures.record())
        await writer.close()
        #expect(try await store.task(id: added.id) == added)
        await store.close()
    }

    @Test(arguments: FileTaskStoreTests.readChunks)
    func aTornLastRecordIsDroppedWithAWarningAndTheStoreGoesOn(chunk: Int) async throws {
        let (directory, records) = try await seededDirectory()
        let journal = directory.appendingPathComponent("journal-1.jsonl")
        let intact = try Data(contentsOf: journal)
        var frame: [UInt8] = []
        JournalEntry.appendTask(Fixtures.record(), to: &frame)
        try append(String(decoding: frame.prefix(60), as: UTF8.self), to: journal)  // a write cut short
        let warnings = Tally<String>()
        var options = FileTaskStore.Options()
        options.warningHandler = { warnings.add($0) }
        options.journalReadChunk = chunk
        let store = try await FileTaskStore(directory: directory.path, options: options)
        #expect(store.openWarnings.count == 1)
        #expect(store.openWarnings.first?.contains("torn last record") == true)
        #expect(warnings.all.count == 1)
        #expect(try Data(contentsOf: journal) == intact)
        for record in records { #expect(try await store.task(id: record.id) == record) }
        let added = try await store.insert(Fixtures.record())
        await store.close()
        let again = try await FileTaskStore(directory: directory.path)
        #expect(again.openWarnings.isEmpty)
        #expect(try await again.task(id: added.id) == added)
    }

    @Test func aCorruptRecordInTheMiddleNamesFileRecordAndOffsetAndTouchesNothing() async throws {
        let (directory, _) = try await seededDirectory()
        let journal = directory.appendingPathComponent("journal-1.jsonl")
        let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n")
        try append("this is not json\n" + lines[0] + "\n", to: journal)
        let before = try bytes(directory)
        let error = await #expect(throws: TaskworksError.self) {
            _ = try await FileTaskStore(directory: directory.path)
        }
        #expect(error?.code == .corruptStore)
        #expect(error?.path == journal.path)
        #expect(error?.line == lines.count + 1)
        #expect(error?.message.contains("record \(lines.count + 1)") == true)
        #expect(error?.message.contains("byte offset") == true)
        #expect(try bytes(directory) == before)
    }

    @Test(arguments: [
        (
            "wrong version",
            "{\"format\":\"taskworks-file-store\",\"version\":99,\"generation\":1,\"tasks\":0}\n", 1
        ),
        ("wrong format", "{\"format\":\"something-else\",\"version\":1,\"generation\":1,\"tasks\":0}\n", 1),
        ("not json", "garbage\n", 1),
        ("no newline", "{\"format\":\"taskworks-file-store\",\"version\":1,\"generation\":1,\"tasks\":0}", 1),
        (
            "missing tasks",
            "{\"format\":\"taskworks-file-store\",\"version\":1,\"generation\":1,\"tasks\":2}\n", 1
        ),
    ])
    func anUnreadableSnapshotIsATypedErrorAndTouchesNothing(name: String, snapshot: String, line: Int)
        async throws
    {
        let (directory, _) = try await seededDirectory()
        let snapshotURL = directory.appendingPathComponent("snapshot.json")
        try Data(snapshot.utf8).write(to: snapshotURL)
        let before = try bytes(directory)
        let error = await #expect(throws: TaskworksError.self, "\(name)") {
            _ = try await FileTaskStore(directory: directory.path)
        }
        #expect(error?.code == .corruptStore)
        #expect(error?.path == snapshotURL.path)
        #expect(try bytes(directory) == before)
    }

    @Test func aForeignFileIsRefusedByName() async throws {
        let (directory, _) = try await seededDirectory()
        try Data("hello".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        let before = try bytes(directory)
        let error = await #expect(throws: TaskworksError.self) {
            _ = try await FileTaskStore(directory: directory.path)
        }
        #expect(error?.code == .corruptStore)
        #expect(error?.path?.hasSuffix("notes.txt") == true)
        #expect(try bytes(directory) == before)
    }

    @Test func badDirectoriesAreTypedErrors() async throws {
        let parent = try TemporaryDirectory.make()
        let missing = parent.appendingPathComponent("missing")
        let missingError = await #expect(throws: TaskworksError.self) {
            _ = try await FileTaskStore(directory: missing.path)
        }
        #expect(missingError?.code == .invalidInput)
        #expect(missingError?.message.contains("does not exist") == true)
        #expect(!FileManager.default.fileExists(atPath: missing.path))

        let file = parent.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        let fileError = await #expect(throws: TaskworksError.self) {
            _ = try await FileTaskStore(directory: file.path)
        }
        #expect(fileError?.code == .invalidInput)

        let readOnly = try TemporaryDirectory.make()
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: readOnly.path)
        let readOnlyError = await #expect(throws: TaskworksError.self) {
            _ = try await FileTaskStore(directory: readOnly.path)
        }
        #expect(readOnlyError?.code == .storageFailure)
        #expect(try FileManager.default.contentsOfDirectory(atPath: readOnly.path).isEmpty)
    }

    @Test func newStoresAreCreatedPrivate() async throws {
        let parent = try TemporaryDirectory.make()
        let directory = parent.appendingPathComponent("created")
        let store = try await FileTaskStore(directory: directory.path, options: .init(createDirectory: true))
        _ = try await store.insert(Fixtures.record())
        await store.close()
        func mode(_ path: String) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        #expect(try mode(directory.path) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            #expect(try mode(directory.appendingPathComponent(name).path) == 0o600, "\(name)")
        }
    }

    @Test func aFailedWriteLeavesNeitherMemoryNorDiskAhead() async throws {
        let directory = try TemporaryDirectory.make()
        let failNext = LockedState(false)
        var options = FileTaskStore.Options()
        options.writeFault = {
            failNext.withLock { fail in
                defer { fail = false }
                return fail
            }
        }
        let store = try await FileTaskStore(directory: directory.path, options: options)
        let kept = try await store.insert(Fixtures.record())
        failNext.withLock { $0 = true }
        let lost = Fixtures.record()
        let error = await #expect(throws: TaskworksError.self) { _ = try await store.insert(lost) }
        #expect(error?.code == .storageFailure)
        #expect(try await store.task(id: lost.id) == nil)
        failNext.withLock { $0 = true }
        var changed = kept
        changed.priority = 9
        await #expect(throws: TaskworksError.self) {
            _ = try await store.update(changed, expectedVersion: kept.version)
        }
        #expect(try await store.task(id: kept.id) == kept)
        let after = try await store.insert(Fixtures.record())
        await store.close()
        let reopened = try await FileTaskStore(directory: directory.path)
        #expect(try await reopened.task(id: lost.id) == nil)
        #expect(try await reopened.task(id: kept.id) == kept)
        #expect(try await reopened.task(id: after.id) == after)
    }

    @Test func aCancelInOneProcessReachesTheRunnerInAnother() async throws {
        let directory = try TemporaryDirectory.make()
        let started = TestGate()
        let stopped = TestGate()
        let workerRegistry = try Sample.registry()
        try workerRegistry.register("long") { _ in blockingRunner(started: started, stopped: stopped) }
        let webRegistry = try Sample.registry()
        try webRegistry.register("long") { _ in ClosureTaskRunner { _ in nil } }
        let workerSide = TaskService(
            store: try await FileTaskStore(directory: directory.path), registry: workerRegistry)
        let webSide = TaskService(
            store: try await FileTaskStore(directory: directory.path), registry: webRegistry)
        var configuration = Fixtures.poolConfiguration()
        configuration.pollInterval = .milliseconds(20)  // no in-process wake-up across stores
        let pool = WorkerPool(service: workerSide, configuration: configuration)
        try await withRunningPool(pool) {
            let task = try await webSide.create("long", createdBy: .user("alice"))
            try await started.waitIgnoringCancellation()
            try await webSide.cancel(task.id, as: .user("alice"))
            // Noticed at the next lease renewal (every 20 ms here).
            try await stopped.waitIgnoringCancellation()
            try await eventually("cancelled") {
                try await webSide.task(task.id, as: .user("alice")).status == .cancelled
            }
        }
    }
}
