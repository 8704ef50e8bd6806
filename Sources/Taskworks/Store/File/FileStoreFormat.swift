import Foundation

/// The files of a ``FileTaskStore`` directory and how their lines are written.
///
/// ```
/// lock                  empty; holds the advisory lock every writer takes
/// snapshot.json         line 1: {"format":"taskworks-file-store","version":1,"generation":G,"tasks":N}
///                       then one task per line (JSON)
/// journal-G.jsonl       one change per line: {"task":{…}} (the whole task after the change) or
///                       {"remove":"<id>"} (retention removed it), ended by {"rotate":G+1} when a
///                       compaction started generation G+1
/// snapshot.json.tmp     a compaction in progress (removed on open)
/// ```
enum FileStoreFormat {
    static let formatName = "taskworks-file-store"
    static let version = 1
    static let lockFile = "lock"
    static let snapshotFile = "snapshot.json"
    static let snapshotTemporaryFile = "snapshot.json.tmp"

    static func journalFile(_ generation: Int) -> String { "journal-\(generation).jsonl" }

    /// The generation named by a journal file name, or `nil` when it is not one.
    static func generation(ofJournal name: String) -> Int? {
        guard name.hasPrefix("journal-"), name.hasSuffix(".jsonl") else { return nil }
        return Int(name.dropFirst("journal-".count).dropLast(".jsonl".count))
    }

    /// Whether `name` is a file this store writes.
    static func isOwnFile(_ name: String) -> Bool {
        name == lockFile || name == snapshotFile || name == snapshotTemporaryFile
            || generation(ofJournal: name) != nil
    }

    struct SnapshotHeader: Codable {
        var format: String
        var version: Int
        var generation: Int
        var tasks: Int
    }

    struct JournalLine: Codable {
        var task: TaskRecord?
        var rotate: Int?
        var remove: TaskID?
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// Splits `bytes` into complete lines (without their `\n`); the bytes after the last `\n`
    /// are an incomplete line and are not returned. Returns the lines and the bytes consumed.
    static func completeLines(_ bytes: [UInt8]) -> (lines: [ArraySlice<UInt8>], consumed: Int) {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            lines.append(bytes[start..<index])
            start = index + 1
        }
        return (lines, start)
    }
}
