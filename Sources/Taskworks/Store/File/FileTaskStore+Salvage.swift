import Foundation

extension FileTaskStore {
    /// What ``salvage(from:into:)`` recovered and what it had to leave behind.
    public struct SalvageReport: Sendable, Hashable {
        /// Tasks written to the new store.
        public var recoveredTasks: Int
        /// Lines that could not be read, as `file:line`; the changes they held are lost.
        public var skippedLines: [String]
    }

    /// The recovery path for a store that no longer opens (``TaskworksError/Code/corruptStore``):
    /// reads every line of `source` that can still be read — the snapshot, then every journal
    /// in generation order, the latest copy of each task winning — and writes those tasks as a
    /// fresh store in `destination`, which must be empty or missing. `source` is only read.
    ///
    /// ```swift
    /// let report = try await FileTaskStore.salvage(from: "/var/lib/app/tasks",
    ///                                              into: "/var/lib/app/tasks-recovered")
    /// print(report.recoveredTasks, "tasks recovered; lost lines:", report.skippedLines)
    /// ```
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when `destination` is not empty;
    ///   ``TaskworksError/Code/storageFailure`` for I/O errors.
    public static func salvage(from source: String, into destination: String) async throws -> SalvageReport {
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: destination), !existing.isEmpty {
            throw TaskworksError(
                code: .invalidInput,
                message:
                    "the salvage destination \(destination) is not empty; give an empty or new directory",
                path: destination)
        }
        var latest: [TaskID: TaskRecord] = [:]
        var order: [TaskID] = []
        var skipped: [String] = []
        func keep(_ record: TaskRecord) {
            if latest.updateValue(record, forKey: record.id) == nil { order.append(record.id) }
        }
        func lines(of name: String) -> [ArraySlice<UInt8>] {
            guard let data = manager.contents(atPath: source + "/" + name) else {
                skipped.append("\(name): unreadable")
                return []
            }
            let bytes = [UInt8](data)
            let (complete, consumed) = FileStoreFormat.completeLines(bytes)
            if consumed < bytes.count { skipped.append("\(name):\(complete.count + 1) (torn last line)") }
            return complete
        }
        let decoder = JSONDecoder()
        let names = (try? manager.contentsOfDirectory(atPath: source)) ?? []
        if names.contains(FileStoreFormat.snapshotFile) {
            for (offset, line) in lines(of: FileStoreFormat.snapshotFile).enumerated().dropFirst() {
                if let record = TaskRecordJSON.record(line)
                    ?? (try? decoder.decode(TaskRecord.self, from: Data(line)))
                {
                    keep(record)
                } else {
                    skipped.append("\(FileStoreFormat.snapshotFile):\(offset + 1)")
                }
            }
        }
        let journals = names.compactMap { FileStoreFormat.generation(ofJournal: $0) }.sorted()
        for generation in journals {
            let name = FileStoreFormat.journalFile(generation)
            for (offset, line) in lines(of: name).enumerated() {
                switch TaskRecordJSON.journalEntry(line) {
                case .task(let record): keep(record)
                case .remove(let id): latest[id] = nil
                case .rotate: continue
                case nil:
                    if let record = (try? decoder.decode(FileStoreFormat.JournalLine.self, from: Data(line)))?
                        .task
                    {
                        keep(record)
                    } else {
                        skipped.append("\(name):\(offset + 1)")
                    }
                }
            }
        }
        let store = try await FileTaskStore(directory: destination, options: Options(createDirectory: true))
        await store.close()
        var bytes = [UInt8](
            try FileStoreFormat.encoder().encode(
                FileStoreFormat.SnapshotHeader(
                    format: FileStoreFormat.formatName, version: FileStoreFormat.version, generation: 1,
                    tasks: order.filter { latest[$0] != nil }.count)))
        bytes.append(UInt8(ascii: "\n"))
        let survivors = order.compactMap { latest[$0] }
        for record in survivors {
            TaskRecordJSON.appendRecord(record, to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        let temporaryPath = destination + "/" + FileStoreFormat.snapshotTemporaryFile
        let temporary = try PosixFile.opening(temporaryPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
        defer { temporary.closeFile() }
        try temporary.append(bytes)
        try temporary.sync()
        guard rename(temporaryPath, destination + "/" + FileStoreFormat.snapshotFile) == 0 else {
            throw PosixFile.failure("rename", temporaryPath)
        }
        try PosixFile.syncDirectory(destination)
        return SalvageReport(recoveredTasks: survivors.count, skippedLines: skipped)
    }
}
