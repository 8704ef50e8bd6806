import Foundation

@testable import Taskworks

/// Writes a store as version 1 of the file format wrote it (bare JSON lines, no frames), to
/// test that such a store opens and is upgraded in place.
enum VersionOneStore {
    /// The snapshot holds `snapshotTasks`; journal-1 holds `journalTasks` (whole records, later
    /// ones replacing earlier ones with the same id). Returns every task as it should read back.
    @discardableResult
    static func write(
        to directory: URL, snapshotTasks: [TaskRecord], journalTasks: [TaskRecord], tornTail: Bool = false
    ) throws -> [TaskID: TaskRecord] {
        var snapshot = Array(
            #"{"format":"taskworks-file-store","version":1,"generation":1,"tasks":\#(snapshotTasks.count)}"#
                .utf8)
        snapshot.append(UInt8(ascii: "\n"))
        for task in snapshotTasks {
            TaskRecordJSON.appendRecord(task, to: &snapshot)
            snapshot.append(UInt8(ascii: "\n"))
        }
        var journal: [UInt8] = []
        for task in journalTasks {
            journal += #"{"task":"#.utf8
            TaskRecordJSON.appendRecord(task, to: &journal)
            journal += "}\n".utf8
        }
        if tornTail { journal += #"{"task":{"id":"3f2504e0-4f89"#.utf8 }
        try Data(snapshot).write(to: directory.appendingPathComponent("snapshot.json"))
        try Data(journal).write(to: directory.appendingPathComponent("journal-1.jsonl"))
        try Data().write(to: directory.appendingPathComponent("lock"))
        var expected: [TaskID: TaskRecord] = [:]
        for task in snapshotTasks + journalTasks { expected[task.id] = task }
        return expected
    }

    /// Three snapshot tasks and two journal lines, the second changing the first task.
    static func sample() -> (snapshot: [TaskRecord], journal: [TaskRecord]) {
        let tasks = (0..<3).map { index in
            TaskRecord(
                type: "job", priority: 1 + index, payload: .object(["n": .integer(Int64(index))]),
                createdBy: "alice", createdAt: Fixtures.start)
        }
        var changed = tasks[0]
        changed.status = .succeeded
        changed.version = 2
        changed.result = .string("done ✓")
        let added = TaskRecord(type: "job", createdBy: "bob", createdAt: Fixtures.start)
        return (tasks, [added, changed])
    }
}
