import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// Settings survive compaction (they move from the journal into the snapshot), salvage, and a
/// damaged settings record is refused rather than read as defaults.
@Suite("File store settings")
struct FileStoreSettingsTests {
    @Test func settingsSurviveCompactionAndReopen() async throws {
        let directory = try TemporaryDirectory.make().path
        let options = FileTaskStore.Options(createDirectory: true, compactionThreshold: 1)
        let store = try await FileTaskStore(directory: directory, options: options)
        try await store.saveSettings(TaskSettings(maxConcurrentTasks: 4))
        #expect(try await store.setTaskType("noop", paused: true))
        // Every write past the threshold compacts: these move the settings into the snapshot.
        for _ in 0..<3 { _ = try await store.insert(Sample.record()) }
        await store.close()
        let snapshot = try String(
            contentsOfFile: directory + "/" + FileStoreFormat.snapshotFile, encoding: .utf8)
        #expect(snapshot.contains(#""settings":1"#))
        let reopened = try await FileTaskStore(directory: directory)
        #expect(try await reopened.settings().maxConcurrentTasks == 4)
        #expect(try await reopened.pausedTaskTypes() == ["noop"])
        await reopened.close()

        let salvaged = try TemporaryDirectory.make().path + "/salvaged"
        _ = try await FileTaskStore.salvage(from: directory, into: salvaged)
        let rescued = try await FileTaskStore(directory: salvaged)
        #expect(try await rescued.settings().maxConcurrentTasks == 4)
        #expect(try await rescued.pausedTaskTypes() == ["noop"])
        await rescued.close()
    }

    @Test(arguments: [
        #"{"settings":{"maxConcurrentTasks":0}}"#, #"{"settings":{"maxConcurrentTasks":"4"}}"#,
        #"{"settings":{"maxConcurrentTasks":4,"other":1}}"#, #"{"settings":{}}"#,
    ])
    func aMalformedSettingsRecordIsNotARecord(line: String) throws {
        #expect(JournalEntry.parsed(Array(line.utf8)[...]) == nil)
    }

    @Test func aSettingsRecordReadsBack() throws {
        var bytes: [UInt8] = []
        JournalEntry.appendSettings(TaskSettings(maxConcurrentTasks: 9), to: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#"{"settings":{"maxConcurrentTasks":9}}"#))
        guard
            case .settings(let settings)? = JournalEntry.parsed(
                Array(#"{"settings":{"maxConcurrentTasks":9}}"#.utf8)[...])
        else {
            Issue.record("not read as settings")
            return
        }
        #expect(settings.maxConcurrentTasks == 9)
    }
}
