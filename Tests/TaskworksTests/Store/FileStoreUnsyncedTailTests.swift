import Foundation
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// What a power loss leaves at the end of a journal opens, dropped with a warning and the drop
/// synced; damage a power loss does not cause is `corruptStore` with the files untouched.
@Suite("File store unsynced tails")
struct FileStoreUnsyncedTailTests {
    /// A closed store with three tasks; its journal's bytes and each record's start offset.
    static func seeded() async throws -> (directory: URL, tasks: [TaskRecord], journal: URL) {
        let (directory, tasks) = try await FileStoreCorruptionTests.seeded()
        return (directory, tasks, directory.appendingPathComponent("journal-1.jsonl"))
    }

    /// Frames of records the store never acknowledged, appended the way a writer would.
    static func unacknowledgedFrames(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<count { JournalEntry.appendTask(Fixtures.record(type: "unsynced"), to: &bytes) }
        return bytes
    }

    /// Opens the store expecting it to open with `tasks`, a warning and the journal cut back to
    /// `intact`.
    static func expectDropped(
        _ directory: URL, journal: URL, intact: Data, tasks: [TaskRecord], _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        var options = FileTaskStore.Options()
        options.warningHandler = { _ in }
        let store = try await FileTaskStore(directory: directory.path, options: options)
        #expect(
            store.openWarnings.contains { $0.contains("torn") }, "\(what): no warning",
            sourceLocation: sourceLocation)
        for task in tasks {
            #expect(
                try await store.task(id: task.id) != nil, "\(what): lost \(task.id)",
                sourceLocation: sourceLocation)
        }
        #expect(try await store.counts(createdBy: nil).total == tasks.count, sourceLocation: sourceLocation)
        _ = try await store.insert(Fixtures.record(type: "after"))
        await store.close()
        let reopened = try await FileTaskStore(directory: directory.path, options: options)
        #expect(
            reopened.openWarnings.isEmpty, "\(what): the reopen warned again", sourceLocation: sourceLocation)
        #expect(
            try await reopened.counts(createdBy: nil).total == tasks.count + 1, sourceLocation: sourceLocation
        )
        await reopened.close()
        let now = try Data(contentsOf: journal)
        #expect(
            now.prefix(intact.count) == intact, "\(what): a synced byte changed",
            sourceLocation: sourceLocation)
    }

    @Test func aRotationToAMissingJournalIsCorruptStoreNamingItNotAStackOverflow() async throws {
        let directory = try TemporaryDirectory.make()
        let store = try await FileTaskStore(directory: directory.path)
        await store.close()
        let journal = directory.appendingPathComponent("journal-1.jsonl")
        // The reproduction from issue 42: the 31-byte frame `0000000c e7d9c1be {"rotate":2}`.
        try Data("0000000c e7d9c1be {\"rotate\":2}\n".utf8).write(to: journal)
        try await FileStoreCorruptionTests.expectRefused(
            directory, naming: "journal-2.jsonl", "a missing journal")
    }

    @Test(arguments: [0, 7, 18, 40])
    func zerosStartingInsideTheLastRecordAreDropped(zerosFrom: Int) async throws {
        let (directory, tasks, journal) = try await Self.seeded()
        let intact = try Data(contentsOf: journal)
        var frame = Self.unacknowledgedFrames(1)
        for index in zerosFrom..<frame.count { frame[index] = 0 }
        try (intact + Data(frame)).write(to: journal)
        try await Self.expectDropped(
            directory, journal: journal, intact: intact, tasks: tasks, "zeros from byte \(zerosFrom)")
    }

    @Test func anEarlierRecordZeroedWhileALaterOnePersistedIsDropped() async throws {
        let (directory, tasks, journal) = try await Self.seeded()
        let intact = try Data(contentsOf: journal)
        let lost = Self.unacknowledgedFrames(2)
        let later = Self.unacknowledgedFrames(3)
        try (intact + Data(repeating: 0, count: lost.count) + Data(later)).write(to: journal)
        try await Self.expectDropped(
            directory, journal: journal, intact: intact, tasks: tasks, "a zeroed record")
    }

    @Test func aDiskBlockZeroedInsideARecordWithRecordsAfterItIsDropped() async throws {
        let (directory, tasks, journal) = try await Self.seeded()
        let intact = try Data(contentsOf: journal)
        var tail = Self.unacknowledgedFrames(30)
        // From inside the first record: the records before a lost block would be kept.
        for index in 10..<10 + 4096 { tail[index] = 0 }
        try (intact + Data(tail)).write(to: journal)
        try await Self.expectDropped(
            directory, journal: journal, intact: intact, tasks: tasks, "a zeroed block")
    }

    @Test func aFewZeroBytesInsideARecordWithRecordsAfterThemAreDamage() async throws {
        let (directory, _, journal) = try await Self.seeded()
        var bytes = [UInt8](try Data(contentsOf: journal))
        // The space after the first record's length turned to zero: a flipped bit, not a power loss.
        bytes[8] = 0
        try Data(bytes).write(to: journal)
        try await FileStoreCorruptionTests.expectRefused(
            directory, naming: "journal-1.jsonl", "one zero byte")
    }

    @Test func textAfterZerosWhereARecordMustStartIsDamage() async throws {
        let (directory, _, journal) = try await Self.seeded()
        let intact = try Data(contentsOf: journal)
        let text = Data("this journal was overwritten by an editor\nand more lines of text\n".utf8)
        try (intact + Data(repeating: 0, count: 64) + Data("\n".utf8) + text).write(to: journal)
        try await FileStoreCorruptionTests.expectRefused(
            directory, naming: "journal-1.jsonl", "text after zeros")
    }

    @Test func aRecordFailingItsChecksumBeforeZerosIsDamage() async throws {
        let (directory, _, journal) = try await Self.seeded()
        var frame = Self.unacknowledgedFrames(1)
        frame[30] = frame[30] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        let intact = try Data(contentsOf: journal)
        try (intact + Data(frame) + Data(repeating: 0, count: 600)).write(to: journal)
        try await FileStoreCorruptionTests.expectRefused(
            directory, naming: "journal-1.jsonl", "a flipped byte")
    }

    @Test func randomTailsAfterZerosNeverCrashAndEitherOpenOrChangeNothing() async throws {
        var random = SeededRandom(seed: 0x2E205)
        for _ in 0..<40 {
            let (directory, tasks, journal) = try await Self.seeded()
            let intact = try Data(contentsOf: journal)
            var tail = Self.unacknowledgedFrames(Int.random(in: 1...4, using: &random))
            let zeroStart = Int.random(in: 0..<tail.count, using: &random)
            let zeroEnd = Int.random(in: zeroStart...tail.count, using: &random)
            for index in zeroStart..<zeroEnd { tail[index] = 0 }
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                tail[Int.random(in: 0..<tail.count, using: &random)] = UInt8.random(
                    in: 1...255, using: &random)
            }
            try (intact + Data(tail)).write(to: journal)
            let before = try FileStoreCorruptionTests.files(directory)
            var options = FileTaskStore.Options()
            options.warningHandler = { _ in }
            do {
                let store = try await FileTaskStore(directory: directory.path, options: options)
                for task in tasks { #expect(try await store.task(id: task.id) != nil) }
                await store.close()
                #expect(try Data(contentsOf: journal).prefix(intact.count) == intact)
            } catch let error as TaskworksError {
                #expect(error.code == .corruptStore)
                #expect(try FileStoreCorruptionTests.files(directory) == before)
            }
        }
    }
}
