import Foundation

/// The files a directory tree holds: relative paths to bytes, and its directories.
struct FileTree: Hashable, Sendable {
    var files: [String: [UInt8]]
    var directories: Set<String>

    /// Writes the tree below `root` (which must exist and be empty).
    func write(to root: URL) throws {
        for directory in directories.sorted() where !directory.isEmpty {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        for (path, bytes) in files {
            try Data(bytes).write(to: root.appendingPathComponent(path))
        }
    }
}

/// Which of the changes not yet synced at a crash reach the disk. Synced changes always do: a
/// file's writes and truncations once an `fsync`/`fdatasync` of that file follows them, a
/// directory's entries (creations, renames, removals) once an `fsync` of that directory does.
enum CrashChoice: Hashable, Sendable, CustomStringConvertible {
    /// Every unsynced change persisted (what a killed process leaves).
    case keepAll
    /// Every unsynced change lost.
    case loseAll
    /// Unsynced file data lost; unsynced directory entries persisted.
    case loseData
    /// Unsynced directory entries lost; unsynced file data persisted.
    case loseDirectoryEntries
    /// Each file's last unsynced write torn: its first half persisted, the rest never written.
    case tearLastWrites
    /// Each file's last unsynced write zeroed: the file grew but its data never reached the disk.
    case zeroLastWrites
    /// Each file's last unsynced write zeroed from the first 4 KiB block boundary inside it.
    case zeroLastWritesFromBlock
    /// Each file's unsynced writes zeroed but the last (holes before a write that persisted).
    case zeroEarlierWrites
    /// Each file keeps its first unsynced write only.
    case keepFirstWrites
    /// Unsynced truncations lost, unsynced writes persisted (the data reached the disk, the new
    /// size did not).
    case loseTruncations
    /// Only this inode's unsynced data persisted (files reordered against each other).
    case onlyFile(Int)
    /// Every unsynced change persisted but this directory entry change (event index).
    case withoutEntry(Int)

    var description: String {
        switch self {
        case .keepAll: "keep all"
        case .loseAll: "lose all"
        case .loseData: "lose data"
        case .loseDirectoryEntries: "lose directory entries"
        case .tearLastWrites: "tear last writes"
        case .zeroLastWrites: "zero last writes"
        case .zeroLastWritesFromBlock: "zero last writes from a block"
        case .zeroEarlierWrites: "zero earlier writes"
        case .keepFirstWrites: "keep first writes"
        case .loseTruncations: "lose truncations"
        case .onlyFile(let inode): "only inode \(inode)'s data"
        case .withoutEntry(let index): "without the entry change of event \(index)"
        }
    }
}

/// Builds the file trees a power loss can leave after any prefix of a recorded trace.
struct CrashStates {
    let initial: FileTree
    let events: [FileSystemEvent]
    /// For each event, the index of the first later event that makes it durable.
    private let durableAt: [Int]

    /// `ignoringSyncOf` leaves those inodes' `fsync`s out of the model (a check that the model
    /// can catch a store that forgets one).
    init(initial: FileTree, events: [FileSystemEvent], ignoringSyncOf ignored: Set<Int> = []) {
        self.initial = initial
        self.events = events
        var durableAt = Array(repeating: Int.max, count: events.count)
        var openData: [Int: [Int]] = [:]
        var openEntries: [String: [Int]] = [:]
        for (index, event) in events.enumerated() {
            switch event {
            case .write(let inode, _, _), .truncate(let inode, _): openData[inode, default: []].append(index)
            case .syncFile(let inode) where !ignored.contains(inode):
                for pending in openData.removeValue(forKey: inode) ?? [] { durableAt[pending] = index }
            case .syncDirectory(let path):
                for pending in openEntries.removeValue(forKey: path) ?? [] { durableAt[pending] = index }
            default:
                if let directory = event.changedDirectory {
                    openEntries[directory, default: []].append(index)
                }
            }
        }
        self.durableAt = durableAt
    }

    /// The choices worth trying after the first `count` events: one per kind, one per file with
    /// unsynced data, one per unsynced directory entry change.
    func choices(afterEvents count: Int) -> [CrashChoice] {
        var choices: [CrashChoice] = [
            .keepAll, .loseAll, .loseData, .loseDirectoryEntries, .tearLastWrites, .zeroLastWrites,
            .zeroLastWritesFromBlock, .zeroEarlierWrites, .keepFirstWrites, .loseTruncations,
        ]
        let pending = pendingData(afterEvents: count)
        if pending.count > 1 { choices += pending.keys.sorted().map { .onlyFile($0) } }
        let entries = (0..<count).filter { durableAt[$0] >= count && events[$0].changedDirectory != nil }
        if entries.count > 1 { choices += entries.map { .withoutEntry($0) } }
        return choices
    }

    /// Each inode's unsynced data changes (event indices) after the first `count` events.
    private func pendingData(afterEvents count: Int) -> [Int: [Int]] {
        var pending: [Int: [Int]] = [:]
        for index in 0..<count where durableAt[index] >= count {
            if case .write(let inode, _, _) = events[index] { pending[inode, default: []].append(index) }
            if case .truncate(let inode, _) = events[index] { pending[inode, default: []].append(index) }
        }
        return pending
    }

    /// How much of a write persisted.
    private enum WriteFate {
        case whole, lost
        case firstBytes(Int)
        case zeroedFrom(Int)
    }

    /// The tree a power loss leaves after the first `count` events, under `choice`.
    func tree(afterEvents count: Int, _ choice: CrashChoice) -> FileTree {
        let pending = pendingData(afterEvents: count)
        var fates: [Int: WriteFate] = [:]
        for (inode, indices) in pending {
            for (position, index) in indices.enumerated() {
                fates[index] = fate(of: index, position: position, of: indices.count, inode: inode, choice)
            }
        }
        var names: [String: Int] = [:]
        var contents: [Int: [UInt8]] = [:]
        for (number, (path, bytes)) in initial.files.sorted(by: { $0.key < $1.key }).enumerated() {
            names[path] = number
            contents[number] = bytes
        }
        var directories = initial.directories
        for index in 0..<count {
            let durable = durableAt[index] < count
            switch events[index] {
            case .write(let inode, let offset, let bytes):
                apply(
                    bytes, at: offset, durable ? .whole : fates[index] ?? .lost,
                    to: &contents[inode, default: []])
            case .truncate(let inode, let length):
                if durable || keepsPendingData(choice, inode: inode) {
                    contents[inode] = Array(contents[inode, default: []].prefix(length))
                }
            case .syncFile, .syncDirectory, .logged: continue
            case .createFile(let path, let inode):
                if durable || keepsEntry(index, choice) { names[path] = inode }
            case .makeDirectory(let path):
                if durable || keepsEntry(index, choice) { directories.insert(path) }
            case .rename(let from, let to):
                if durable || keepsEntry(index, choice), let inode = names.removeValue(forKey: from) {
                    names[to] = inode
                }
            case .remove(let path):
                if durable || keepsEntry(index, choice) {
                    names[path] = nil
                    directories.remove(path)
                }
            }
        }
        var files: [String: [UInt8]] = [:]
        for (path, inode) in names where directories.contains(SystemCallTrace.parent(of: path)) {
            files[path] = contents[inode] ?? []
        }
        return FileTree(files: files, directories: directories)
    }

    private func keepsEntry(_ index: Int, _ choice: CrashChoice) -> Bool {
        switch choice {
        case .loseAll, .loseDirectoryEntries: false
        case .withoutEntry(let dropped): index != dropped
        default: true
        }
    }

    private func keepsPendingData(_ choice: CrashChoice, inode: Int) -> Bool {
        switch choice {
        case .loseAll, .loseData, .loseTruncations: false
        case .onlyFile(let kept): inode == kept
        default: true
        }
    }

    private func fate(of index: Int, position: Int, of total: Int, inode: Int, _ choice: CrashChoice)
        -> WriteFate
    {
        guard case .write(_, let offset, let bytes) = events[index] else { return .whole }
        let isLast = position == total - 1
        switch choice {
        case .keepAll, .loseDirectoryEntries, .withoutEntry, .loseTruncations: return .whole
        case .loseAll, .loseData: return .lost
        case .onlyFile(let kept): return inode == kept ? .whole : .lost
        case .tearLastWrites: return isLast ? .firstBytes(bytes.count / 2) : .whole
        case .zeroLastWrites: return isLast ? .zeroedFrom(0) : .whole
        case .zeroLastWritesFromBlock:
            let boundary = (offset / 4096 + 1) * 4096 - offset
            return isLast ? .zeroedFrom(boundary < bytes.count ? boundary : 0) : .whole
        case .zeroEarlierWrites: return isLast ? .whole : .zeroedFrom(0)
        case .keepFirstWrites: return position == 0 ? .whole : .lost
        }
    }

    private func apply(_ bytes: [UInt8], at offset: Int, _ fate: WriteFate, to content: inout [UInt8]) {
        var written = bytes
        switch fate {
        case .lost: return
        case .whole: break
        case .firstBytes(let count): written = Array(bytes.prefix(count))
        case .zeroedFrom(let start):
            for index in start..<written.count { written[index] = 0 }
        }
        if content.count < offset { content += repeatElement(0, count: offset - content.count) }
        let overlap = min(written.count, content.count - offset)
        content.replaceSubrange(offset..<offset + overlap, with: written.prefix(overlap))
        content += written.dropFirst(overlap)
    }
}
