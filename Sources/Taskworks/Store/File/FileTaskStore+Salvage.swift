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
        var ticks: [String: Date] = [:]
        var pausedTypes: Set<String> = []
        var settings: TaskSettings?
        func keep(_ record: TaskRecord) {
            if let (name, tick) = LegacyScheduleMarker.tick(from: record) {
                ticks[name] = max(tick, ticks[name] ?? tick)
            } else if latest.updateValue(record, forKey: record.id) == nil {
                order.append(record.id)
            }
        }
        let decoder = JSONDecoder()
        let names = (try? manager.contentsOfDirectory(atPath: source)) ?? []
        if names.contains(FileStoreFormat.snapshotFile) {
            let records = salvageableRecords(of: FileStoreFormat.snapshotFile, in: source, skipped: &skipped)
            for (number, record) in records.dropFirst() {
                if let task = TaskRecordJSON.record(record)
                    ?? (try? decoder.decode(TaskRecord.self, from: Data(record)))
                {
                    keep(task)
                } else if case .scheduleTick(let tick)? = JournalEntry.parsed(record) {
                    ticks[tick.name] = max(tick.tick, ticks[tick.name] ?? tick.tick)
                } else if case .typePause(let pause)? = JournalEntry.parsed(record), pause.paused {
                    pausedTypes.insert(pause.type)
                } else if case .settings(let saved)? = JournalEntry.parsed(record) {
                    settings = saved
                } else {
                    skipped.append("\(FileStoreFormat.snapshotFile):\(number)")
                }
            }
        }
        let journals = names.compactMap { FileStoreFormat.generation(ofJournal: $0) }.sorted()
        for generation in journals {
            let name = FileStoreFormat.journalFile(generation)
            for (number, record) in salvageableRecords(of: name, in: source, skipped: &skipped) {
                switch JournalEntry.parsed(record) {
                case .task(let task): keep(task)
                case .remove(let id): latest[id] = nil
                case .scheduleTick(let tick): ticks[tick.name] = max(tick.tick, ticks[tick.name] ?? tick.tick)
                case .typePause(let pause):
                    if pause.paused { pausedTypes.insert(pause.type) } else { pausedTypes.remove(pause.type) }
                case .settings(let saved): settings = saved
                case .rotate: continue
                case nil:
                    if let task =
                        (try? decoder.decode(FileStoreFormat.VersionOneJournalLine.self, from: Data(record)))?
                        .task
                    {
                        keep(task)
                    } else {
                        skipped.append("\(name):\(number)")
                    }
                }
            }
        }
        let store = try await FileTaskStore(directory: destination, options: Options(createDirectory: true))
        await store.close()
        let survivors = order.compactMap { latest[$0] }
        let bytes = FileStoreFormat.snapshotBytes(
            generation: 1, records: survivors,
            scheduleTicks: ticks.sorted { $0.key < $1.key }.map {
                ScheduleTick(name: $0.key, tick: $0.value)
            },
            pausedTypes: pausedTypes.sorted(), settings: settings)
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

    /// The records of a file that still check out, numbered from 1 (frames of version 2, lines
    /// of version 1). A damaged record is listed in `skipped` as `file:number` and reading goes
    /// on at the next line; an incomplete last record is listed as torn.
    private static func salvageableRecords(
        of name: String, in source: String, skipped: inout [String]
    ) -> [(Int, ArraySlice<UInt8>)] {
        guard let data = FileManager.default.contents(atPath: source + "/" + name) else {
            skipped.append("\(name): unreadable")
            return []
        }
        let bytes = [UInt8](data)
        var records: [(Int, ArraySlice<UInt8>)] = []
        var offset = 0
        var number = 0
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                number += 1
                let versionOne = FileStoreFormat.isVersionOneRecord(buffer, at: offset)
                switch FileStoreFormat.scan(buffer, at: offset, versionOne: versionOne) {
                case .frame(let payload, let next):
                    records.append((number, bytes[payload]))
                    offset = next
                case .incomplete:
                    skipped.append("\(name):\(number) (torn last record)")
                    return
                case .corrupt, .zeroed:
                    skipped.append("\(name):\(number)")
                    guard let next = nextCheckedRecord(in: buffer, after: offset, versionOne: versionOne)
                    else {
                        return
                    }
                    offset = next
                }
            }
        }
        return records
    }

    /// Where reading goes on after a damaged record at `offset`. A version-2 file resumes at the
    /// first later offset where a whole frame checks out, so a damaged newline between two
    /// records costs only the record it ended, not the next one too (a CRC-32C match by chance
    /// is one in four billion); a version-1 file resumes after the next newline.
    private static func nextCheckedRecord(
        in buffer: UnsafeRawBufferPointer, after offset: Int, versionOne: Bool
    ) -> Int? {
        if versionOne {
            guard let newline = buffer[offset...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            return newline + 1
        }
        var candidate = offset + 1
        while candidate < buffer.count {
            if case .frame = FileStoreFrame.scan(buffer, at: candidate) { return candidate }
            candidate += 1
        }
        return nil
    }
}
