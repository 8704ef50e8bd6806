import Foundation
import TaskStoreConformance
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// Every corrupt byte is caught and nothing is silently dropped: damage anywhere in a store's
/// files is `corruptStore` naming the file (and, in a journal, the byte offset), and the files are
/// left byte for byte as they were. Only an incomplete last record is a torn write.
@Suite("File store corruption")
struct FileStoreCorruptionTests {
    static func files(_ directory: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            result[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return result
    }

    /// A closed store with three tasks, one of them claimed and finished.
    static func seeded() async throws -> (directory: URL, tasks: [TaskRecord]) {
        let directory = try TemporaryDirectory.make()
        let store = try await FileTaskStore(directory: directory.path)
        var tasks: [TaskRecord] = []
        for index in 0..<3 {
            tasks.append(try await store.insert(Fixtures.record(type: "job", priority: 1 + index)))
        }
        let claimed = try await store.claim(Sample.claim(limit: 1))
        var finished = try #require(claimed.first)
        finished.status = .succeeded
        finished.leaseOwner = nil
        _ = try await store.update(finished, expectedVersion: finished.version)
        await store.close()
        return (directory, tasks)
    }

    /// Opens `directory` expecting `corruptStore` that names `file`, with every file unchanged.
    static func expectRefused(
        _ directory: URL, naming file: String, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try files(directory)
        var options = FileTaskStore.Options()
        options.warningHandler = { _ in }
        do {
            let store = try await FileTaskStore(directory: directory.path, options: options)
            await store.close()
            Issue.record("\(what): the store opened", sourceLocation: sourceLocation)
        } catch let error as TaskworksError {
            #expect(error.code == .corruptStore, "\(what): \(error)", sourceLocation: sourceLocation)
            #expect(
                error.path?.hasSuffix(file) == true, "\(what): names \(error.path ?? "nothing")",
                sourceLocation: sourceLocation)
        }
        #expect(try files(directory) == before, "\(what): a file was changed", sourceLocation: sourceLocation)
    }

    @Test func flippingAnyBitOfAnyJournalByteIsCaughtAndChangesNothing() async throws {
        let (directory, _) = try await Self.seeded()
        let journal = directory.appendingPathComponent("journal-1.jsonl")
        let intact = try Data(contentsOf: journal)
        var random = SeededRandom(seed: 15)
        var checked = 0
        for offset in 0..<intact.count {
            var damaged = intact
            damaged[offset] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            try damaged.write(to: journal)
            try await Self.expectRefused(
                directory, naming: "journal-1.jsonl", "bit flipped at byte \(offset)")
            checked += 1
        }
        try intact.write(to: journal)
        let store = try await FileTaskStore(directory: directory.path)
        #expect(try await store.counts(createdBy: nil).total == 3)
        await store.close()
        #expect(checked == intact.count)
        print("journal bytes flipped, each refused with every file unchanged: \(checked)")
    }

    /// The cases the outside harness found, each of which opened silently before.
    @Test(arguments: [
        ("\"job\" becomes \"kob\"", "\"type\":\"job\"", "\"type\":\"kob\""),
        ("a priority digit", "\"priority\":2", "\"priority\":7"),
        ("an invalid UTF-8 byte", "\"createdBy\":\"alice\"", "\"createdBy\":\"al\u{FF}ce\""),
    ])
    func aChangedRecordThatIsStillValidJSONIsCaught(name: String, original: String, replacement: String)
        async throws
    {
        let (directory, _) = try await Self.seeded()
        let journal = directory.appendingPathComponent("journal-1.jsonl")
        var bytes = [UInt8](try Data(contentsOf: journal))
        let needle = Array(original.utf8)
        let start = try #require(
            bytes.indices.first { bytes[$0...].starts(with: needle) }, "the journal holds \(original)")
        var replacementBytes = Array(replacement.utf8)
        if name.contains("UTF-8") {
            replacementBytes = Array("\"createdBy\":\"al".utf8) + [0xFF] + Array("ce\"".utf8)
        }
        bytes.replaceSubrange(start..<start + needle.count, with: replacementBytes)
        try Data(bytes).write(to: journal)
        try await Self.expectRefused(directory, naming: "journal-1.jsonl", name)
    }

    @Test func aDeletedJournalIsAnErrorNotAnEmptyStore() async throws {
        let (directory, _) = try await Self.seeded()
        try FileManager.default.removeItem(at: directory.appendingPathComponent("journal-1.jsonl"))
        try await Self.expectRefused(directory, naming: "journal-1.jsonl", "a deleted journal")
    }

    @Test(arguments: [true, false])
    func garbageIsNeverATornTail(replacingTheJournal: Bool) async throws {
        let (directory, _) = try await Self.seeded()
        let journal = directory.appendingPathComponent("journal-1.jsonl")
        var random = SeededRandom(seed: 4096)
        let garbage = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) })
        var bytes = replacingTheJournal ? Data() : try Data(contentsOf: journal)
        bytes.append(garbage)
        try bytes.write(to: journal)
        try await Self.expectRefused(directory, naming: "journal-1.jsonl", "4 KiB of garbage")
    }

    @Test func aJournalWithDataThatNoRotationLeadsToIsAnErrorAndAnEmptyOneIsALeftover() async throws {
        let (directory, tasks) = try await Self.seeded()
        let orphan = directory.appendingPathComponent("journal-2.jsonl")
        var frame: [UInt8] = []
        JournalEntry.appendTask(Fixtures.record(), to: &frame)
        try Data(frame).write(to: orphan)
        try await Self.expectRefused(directory, naming: "journal-2.jsonl", "an orphan journal with data")
        try Data().write(to: orphan)
        let store = try await FileTaskStore(directory: directory.path)
        for task in tasks { #expect(try await store.task(id: task.id) != nil) }
        await store.close()
        #expect(!FileManager.default.fileExists(atPath: orphan.path), "the empty leftover was removed")
    }

    @Test func aRecordWithAnUnknownFieldAndAValidChecksumIsAnErrorNotDropped() async throws {
        let (directory, _) = try await Self.seeded()
        let journal = directory.appendingPathComponent("journal-1.jsonl")
        var frame: [UInt8] = []
        FileStoreFrame.append(to: &frame) {
            $0 += Array(#"{"task":{"id":"3f2504e0-4f89-41d3-9a0c-0305e82c3301","surprise":1}}"#.utf8)
        }
        let handle = try FileHandle(forWritingTo: journal)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(frame))
        try handle.close()
        try await Self.expectRefused(directory, naming: "journal-1.jsonl", "an unknown field")
    }

    @Test func zeroBytesAfterTheLastRecordAreATornTail() async throws {
        let (directory, tasks) = try await Self.seeded()
        let journal = directory.appendingPathComponent("journal-1.jsonl")
        let intact = try Data(contentsOf: journal)
        try (intact + Data(repeating: 0, count: 512)).write(to: journal)
        let store = try await FileTaskStore(directory: directory.path)
        #expect(store.openWarnings.count == 1)
        for task in tasks { #expect(try await store.task(id: task.id) != nil) }
        await store.close()
        #expect(try Data(contentsOf: journal) == intact)
    }

    @Test func aDamagedSnapshotRecordIsCaught() async throws {
        let directory = try TemporaryDirectory.make()
        var options = FileTaskStore.Options(compactionThreshold: 1)
        options.warningHandler = { _ in }
        let store = try await FileTaskStore(directory: directory.path, options: options)
        for _ in 0..<3 { _ = try await store.insert(Fixtures.record(type: "job")) }
        await store.close()
        let snapshot = directory.appendingPathComponent("snapshot.json")
        var bytes = [UInt8](try Data(contentsOf: snapshot))
        let job = try #require(bytes.indices.first { bytes[$0...].starts(with: Array("\"job\"".utf8)) })
        bytes[job + 1] = UInt8(ascii: "k")
        try Data(bytes).write(to: snapshot)
        try await Self.expectRefused(directory, naming: "snapshot.json", "\"job\" → \"kob\" in the snapshot")
    }
}
