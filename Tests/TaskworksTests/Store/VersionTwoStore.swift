import Foundation

@testable import Taskworks

/// Writes a store as version 2 of the file format wrote it (framed records, schedule state as
/// hidden `taskworks.schedule` tasks), to test that such a store opens and migrates.
enum VersionTwoStore {
    /// A schedule's hidden record as the version-2 scheduler stored it.
    static func marker(schedule name: String, tick: Date, version: UInt64) -> TaskRecord {
        var marker = TaskRecord(
            id: LegacyScheduleMarker.id(for: name), type: LegacyScheduleMarker.taskType, createdBy: "system",
            maxRetries: 0, createdAt: Fixtures.start)
        marker.status = .succeeded
        marker.deletedAt = Fixtures.start
        marker.payload = .object(["schedule": .string(name)])
        marker.result = .double(tick.timeIntervalSinceReferenceDate)
        marker.version = version
        return marker
    }

    /// The snapshot holds `snapshotTasks`; journal-1 holds `journalTasks`, both framed.
    static func write(to directory: URL, snapshotTasks: [TaskRecord], journalTasks: [TaskRecord]) throws {
        var snapshot: [UInt8] = []
        FileStoreFrame.append(to: &snapshot) {
            $0 +=
                #"{"format":"taskworks-file-store","version":2,"generation":1,"tasks":\#(snapshotTasks.count)}"#
                .utf8
        }
        for task in snapshotTasks {
            FileStoreFrame.append(to: &snapshot) { TaskRecordJSON.appendRecord(task, to: &$0) }
        }
        var journal: [UInt8] = []
        for task in journalTasks { JournalEntry.appendTask(task, to: &journal) }
        try Data(snapshot).write(to: directory.appendingPathComponent("snapshot.json"))
        try Data(journal).write(to: directory.appendingPathComponent("journal-1.jsonl"))
        try Data().write(to: directory.appendingPathComponent("lock"))
    }
}
