import Foundation
import TaskworksTesting
import Testing

@testable import Taskworks

@Suite("File store salvage")
struct FileTaskStoreSalvageTests {
    @Test func salvageRecoversEveryReadableChangeAndLeavesTheSourceAlone() async throws {
        let directory = try TemporaryDirectory.make()
        let store = try await FileTaskStore(directory: directory.path)
        let first = try await store.insert(Fixtures.record())
        let second = try await store.insert(Fixtures.record())
        let changed = try await store.force(first.id) { $0.progress = 40 }
        await store.close()
        let journal = directory.appendingPathComponent("journal-1.jsonl")
        let handle = try FileHandle(forWritingTo: journal)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("not json\n".utf8))
        try handle.close()
        // A line after the corruption is still recovered.
        var third = Fixtures.record()
        third.version = 1
        var thirdLine: [UInt8] = []
        JournalEntry.appendTask(third, to: &thirdLine)
        let appender = try FileHandle(forWritingTo: journal)
        try appender.seekToEnd()
        try appender.write(contentsOf: Data(thirdLine))
        try appender.close()
        let sourceBefore = try Data(contentsOf: journal)
        await #expect(throws: TaskworksError.self) { _ = try await FileTaskStore(directory: directory.path) }

        let destination = try TemporaryDirectory.make().appendingPathComponent("recovered")
        let report = try await FileTaskStore.salvage(from: directory.path, into: destination.path)
        #expect(report.recoveredTasks == 3)
        #expect(report.skippedLines == ["journal-1.jsonl:4"])
        #expect(try Data(contentsOf: journal) == sourceBefore)
        let recovered = try await FileTaskStore(directory: destination.path)
        #expect(try await recovered.task(id: first.id) == changed)
        #expect(try await recovered.task(id: second.id) == second)
        #expect(try await recovered.task(id: third.id) == third)
        let reused = await #expect(throws: TaskworksError.self) {
            _ = try await FileTaskStore.salvage(from: directory.path, into: destination.path)
        }
        #expect(reused?.code == .invalidInput)
    }

    /// Offsets into the middle record of three, as distances from its start (0…17 its header,
    /// then its JSON) or, when negative, from its end (-1 its newline).
    static let damagedOffsets = Array(0..<18) + [18, 40, 100, -2, -1]

    @Test(arguments: damagedOffsets)
    func oneFlippedByteCostsOnlyTheRecordItIsIn(offset: Int) async throws {
        let directory = try TemporaryDirectory.make()
        let store = try await FileTaskStore(directory: directory.path)
        let first = try await store.insert(Fixtures.record())
        let second = try await store.insert(Fixtures.record())
        let third = try await store.insert(Fixtures.record())
        await store.close()
        let journal = directory.appendingPathComponent("journal-1.jsonl")
        var bytes = [UInt8](try Data(contentsOf: journal))
        let newlines = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }
        try #require(newlines.count == 3)
        let secondStart = newlines[0] + 1
        let position = offset >= 0 ? secondStart + offset : newlines[1] + 1 + offset
        bytes[position] ^= 0x20
        try Data(bytes).write(to: journal)

        let destination = try TemporaryDirectory.make().appendingPathComponent("recovered")
        let report = try await FileTaskStore.salvage(from: directory.path, into: destination.path)
        #expect(report.skippedLines == ["journal-1.jsonl:2"])
        #expect(report.recoveredTasks == 2)
        let recovered = try await FileTaskStore(directory: destination.path)
        #expect(try await recovered.task(id: first.id) == first)
        #expect(try await recovered.task(id: second.id) == nil)
        #expect(try await recovered.task(id: third.id) == third)
        await recovered.close()
    }
}
