import Foundation
import Taskworks
import TaskworksCommandLine
import TaskworksTesting
import Testing

/// `taskworks verify` on intact and damaged stores, and `taskworks tail` as its own process
/// seeing a task this process creates.
@Suite("taskworks command line: verify and tail")
struct CommandLineProcessTests {
    /// Every file of `directory` and its bytes.
    static func files(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return files
    }

    static func journal(_ directory: String) throws -> String {
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("journal-") })
        return directory + "/" + name
    }

    @Test func anIntactStoreVerifies() async throws {
        let fixture = try await CommandLineStore.make()
        let before = try Self.files(fixture.directory)
        let run = await CommandRun.run(["verify", "--store", fixture.store])
        #expect(run.code == 0, "\(run.errors)")
        #expect(run.output.hasPrefix("intact: 4 task(s)"))
        #expect(try Self.files(fixture.directory) == before)
        let json = await CommandRun.run(["verify", "--store", fixture.store, "--json"])
        #expect(try json.jsonLines().first?["tasks"] == .integer(4))
    }

    @Test func aFlippedByteIsFoundWithItsFileAndOffsetAndNothingChanges() async throws {
        let fixture = try await CommandLineStore.make()
        let journal = try Self.journal(fixture.directory)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: journal))
        bytes[bytes.count / 2] ^= 0x04
        try bytes.write(to: URL(fileURLWithPath: journal))
        let before = try Self.files(fixture.directory)
        let run = await CommandRun.run(["verify", "--store", fixture.store])
        #expect(run.code == 3)
        #expect(run.output.hasPrefix("damaged: "))
        #expect(run.output.contains(journal))  // the original's path, not the copy's
        #expect(run.output.contains("offset"))
        #expect(try Self.files(fixture.directory) == before)
    }

    @Test func aTornJournalEndIsReportedAndLeftForTheNextOpen() async throws {
        let fixture = try await CommandLineStore.make()
        let journal = try Self.journal(fixture.directory)
        let handle = try #require(FileHandle(forWritingAtPath: journal))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("00000200 0badc0de {\"task\":{\"id\":".utf8))  // a record cut short
        try handle.close()
        let before = try Self.files(fixture.directory)
        let run = await CommandRun.run(["verify", "--store", fixture.store, "--json"])
        #expect(run.code == 4)
        let report = try #require(try run.jsonLines().first)
        #expect(report["torn"]?.stringValue?.contains(journal) == true)
        #expect(report["tasks"] == .integer(4))
        #expect(try Self.files(fixture.directory) == before)
    }

    @Test func tailInAnotherProcessPrintsATaskCreatedHere() async throws {
        let fixture = try await CommandLineStore.make()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ChildProcess.builtExecutable("taskworks"))
        process.arguments = [
            "tail", "--store", fixture.store, "--json", "--count", "1", "--interval", "50ms", "--for", "60s",
        ]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let errorText = LockedState("")
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            errorText.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        try await eventually("tail to start watching") { errorText.withLock { $0.contains("watching") } }

        let store = try await FileTaskStore(directory: fixture.directory)
        let registry = TaskRegistry()
        try registry.register("export") { _ in ClosureTaskRunner { _ in nil } }
        let created = try await TaskService(store: store, registry: registry)
            .create("export", createdBy: .user("carol"))
        await store.close()

        try await eventually("tail to print the new task and exit") { !process.isRunning }
        process.waitUntilExit()
        errors.fileHandleForReading.readabilityHandler = nil
        #expect(process.terminationStatus == 0)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let line = try JSONValue(jsonText: String(try #require(printed.split(separator: "\n").first)))
        #expect(line["id"]?.stringValue == created.id.string)
        #expect(line["status"]?.stringValue == "pending")
    }
}
