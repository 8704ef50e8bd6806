import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files of a ``FileTaskStore`` directory and how their records are written.
///
/// ```
/// lock                  empty; holds the advisory lock every writer takes
/// snapshot.json         a header record {"format":"taskworks-file-store","version":3,
///                       "generation":G,"tasks":N,"schedules":M,"pausedTypes":P}, then one task
///                       per record, one {"schedule":name,"lastTick":T} per schedule and one
///                       {"taskType":name,"paused":true} per paused type; it expects
///                       journal-G.jsonl beside it
/// journal-G.jsonl       one change per record: {"task":{…}} (the whole task after the change),
///                       {"remove":"<id>"} (retention removed it), {"schedule":name,"lastTick":T}
///                       (a schedule fired) or {"taskType":name,"paused":B}, ended by {"rotate":G+1} when a compaction started
///                       generation G+1
/// snapshot.json.tmp     a compaction in progress (removed on open)
/// ```
///
/// Versions 2 and 3 frame every record (``FileStoreFrame``: length and CRC-32C, then the JSON and
/// a newline). Version 3 keeps schedule state as its own records; version 2 kept it as hidden
/// tasks (``LegacyScheduleMarker``). Version 1 wrote bare JSON lines. Stores of versions 1 and 2
/// are read and upgraded to version 3 on open.
enum FileStoreFormat {
    static let formatName = "taskworks-file-store"
    static let version = 3
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

    /// A version-1 journal line, read by `JSONDecoder` when the fast parser does not recognise it.
    struct VersionOneJournalLine: Codable {
        var task: TaskRecord?
        var rotate: Int?
        var remove: TaskID?
    }

    /// A version-1 record starts with `{`; a version-2 frame with a hex digit.
    static func isVersionOneRecord(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        bytes[offset] == UInt8(ascii: "{")
    }

    /// The record at `offset`: a checked frame, or (where `versionOne` allows it) a bare line.
    static func scan(_ bytes: UnsafeRawBufferPointer, at offset: Int, versionOne: Bool) -> FileStoreFrame.Scan
    {
        guard versionOne, isVersionOneRecord(bytes, at: offset) else {
            return FileStoreFrame.scan(bytes, at: offset)
        }
        guard let newline = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) else { return .incomplete }
        return .frame(payload: offset..<newline, next: newline + 1)
    }

    /// The header record and the task records of a whole snapshot file, in either version.
    static func snapshotRecords(_ bytes: [UInt8]) throws -> (version: Int, records: [Range<Int>]) {
        guard !bytes.isEmpty else { throw SnapshotDamage(offset: 0, reason: "the file is empty") }
        return try bytes.withUnsafeBytes { buffer in
            let versionOne = isVersionOneRecord(buffer, at: 0)
            var records: [Range<Int>] = []
            var offset = 0
            while offset < buffer.count {
                switch scan(buffer, at: offset, versionOne: versionOne) {
                case .frame(let payload, let next):
                    records.append(payload)
                    offset = next
                case .incomplete:
                    throw SnapshotDamage(offset: offset, reason: "it ends in an incomplete record")
                case .zeroed(let zeroAt):
                    throw SnapshotDamage(
                        offset: zeroAt, reason: "zero bytes where a record's bytes should be")
                case .corrupt(let reason):
                    throw SnapshotDamage(offset: offset, reason: reason)
                }
            }
            return (versionOne ? 1 : 2, records)
        }
    }

    /// The generation of the snapshot in `directory`, from its first record alone; `nil` when it
    /// cannot be read or its first record is not a header.
    static func snapshotGeneration(in directory: String) throws -> Int? {
        let file = try PosixFile.opening(
            FileStoreDirectory.path(snapshotFile, in: directory), flags: O_RDONLY)
        defer { file.closeFile() }
        let bytes = try file.read(from: 0, upTo: 64 << 10)
        guard !bytes.isEmpty else { return nil }
        let first = bytes.withUnsafeBytes { scan($0, at: 0, versionOne: isVersionOneRecord($0, at: 0)) }
        guard case .frame(let payload, _) = first else { return nil }
        return try? SnapshotHeader.parse(bytes[payload]).generation
    }

    /// Why a snapshot's bytes are not a snapshot, and where.
    struct SnapshotDamage: Error {
        let offset: Int
        let reason: String
    }

    /// A snapshot of the current version holding `records`, `scheduleTicks`, `pausedTypes` and `settings`
    /// at `generation`.
    static func snapshotBytes(
        generation: Int, records: [TaskRecord], scheduleTicks: [ScheduleTick], pausedTypes: [String] = [],
        settings: TaskSettings? = nil
    ) -> [UInt8] {
        let header = SnapshotHeader(
            format: formatName, version: version, generation: generation, tasks: records.count,
            schedules: scheduleTicks.count, pausedTypes: pausedTypes.count, settings: settings == nil ? 0 : 1)
        var bytes: [UInt8] = []
        FileStoreFrame.append(to: &bytes) { header.appendJSON(to: &$0) }
        for record in records {
            FileStoreFrame.append(to: &bytes) { TaskRecordJSON.appendRecord(record, to: &$0) }
        }
        for tick in scheduleTicks {
            FileStoreFrame.append(to: &bytes) { tick.appendJSON(to: &$0) }
        }
        for type in pausedTypes {
            FileStoreFrame.append(to: &bytes) { TaskTypePause(type: type, paused: true).appendJSON(to: &$0) }
        }
        if let settings { JournalEntry.appendSettings(settings, to: &bytes) }
        return bytes
    }
}
