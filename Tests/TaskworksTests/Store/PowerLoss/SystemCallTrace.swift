import Foundation

/// One change a traced process made to the files under a root directory, in the order the
/// kernel finished it. Paths are relative to the root ("" is the root itself); inodes are
/// numbered by the trace, so a file keeps its number across renames.
enum FileSystemEvent: Equatable, Sendable {
    case createFile(path: String, inode: Int)
    case makeDirectory(path: String)
    case rename(from: String, to: String)
    case remove(path: String)
    case write(inode: Int, offset: Int, bytes: [UInt8])
    case truncate(inode: Int, length: Int)
    case syncFile(inode: Int)
    case syncDirectory(path: String)
    /// A line the process wrote to its log (an acknowledgement), not a store file.
    case logged(String)

    /// The directory whose entries this event changes, if it changes any.
    var changedDirectory: String? {
        switch self {
        case .createFile(let path, _), .makeDirectory(let path), .remove(let path), .rename(let path, _):
            SystemCallTrace.parent(of: path)
        default: nil
        }
    }
}

/// Reads `strace -f -xx` output (every string as `\xNN` escapes) into ``FileSystemEvent``s:
/// `openat`, `write`, `writev`, `pwrite64`, `ftruncate`, `fsync`, `fdatasync`, `rename`,
/// `unlink`, `mkdir` (and their variants), `dup` and `close`. Calls outside `root` are dropped,
/// except writes to `logPath`, which become `.logged` lines.
struct SystemCallTrace {
    private struct OpenFile {
        var absolutePath: String
        var inode: Int?
        var isDirectory: Bool
        var appends: Bool
        var position = 0
    }

    let root: String
    let logPath: String
    private(set) var events: [FileSystemEvent] = []
    /// Paths (relative) to inodes, as the files stand after every event so far.
    private(set) var names: [String: Int]
    private(set) var directories: Set<String>
    /// The name each inode was created under.
    private(set) var createdNames: [Int: String]
    private var sizes: [Int: Int]
    private var descriptors: [Int: OpenFile] = [:]
    private var unfinished: [Substring: String] = [:]

    /// A trace over files that already exist: `files` (relative path to bytes) and `directories`.
    init(root: String, logPath: String, files: [String: [UInt8]] = [:], directories: Set<String> = [""]) {
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
        self.logPath = logPath
        self.directories = directories
        var names: [String: Int] = [:]
        var sizes: [Int: Int] = [:]
        for (number, (path, bytes)) in files.sorted(by: { $0.key < $1.key }).enumerated() {
            names[path] = number
            sizes[number] = bytes.count
        }
        self.names = names
        self.sizes = sizes
        self.createdNames = Dictionary(uniqueKeysWithValues: names.map { ($1, $0) })
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// Reads a whole trace file.
    mutating func read(_ text: String) throws {
        for line in text.split(separator: "\n") { try read(line: line) }
    }

    private mutating func read(line raw: Substring) throws {
        guard let space = raw.firstIndex(of: " ") else { return }
        let thread = raw[..<space]
        var text = String(raw[space...].drop(while: { $0 == " " }))
        if text.hasPrefix("+++") || text.hasPrefix("---") { return }
        if let cut = text.range(of: " <unfinished ...>") {
            unfinished[thread] = String(text[..<cut.lowerBound])
            return
        }
        if text.hasPrefix("<..."), let resumed = text.range(of: "resumed>") {
            guard let start = unfinished.removeValue(forKey: thread) else { return }
            text = start + text[resumed.upperBound...]
        }
        // `name(arguments)`, padding spaces, `= result`.
        guard let open = text.firstIndex(of: "("), let equals = text.range(of: " = ", options: .backwards),
            let close = text[..<equals.lowerBound].lastIndex(of: ")"), open < close
        else { return }
        let name = String(text[..<open])
        let arguments = Self.split(text[text.index(after: open)..<close])
        guard let result = Int(text[equals.upperBound...].prefix(while: { $0 != " " })), result >= 0 else {
            return
        }
        try apply(name, arguments, result: result)
    }

    private mutating func apply(_ name: String, _ arguments: [Substring], result: Int) throws {
        func argument(_ index: Int) throws -> Substring {
            guard index < arguments.count else { throw TraceError("\(name) has no argument \(index)") }
            return arguments[index]
        }
        func descriptor(_ index: Int) throws -> Int {
            guard let value = Int(try argument(index)) else { throw TraceError("\(name): no descriptor") }
            return value
        }
        func path(_ index: Int, directoryArgument: Int? = nil) throws -> String {
            let value = String(decoding: try Self.bytes(try argument(index)), as: UTF8.self)
            if value.hasPrefix("/") { return value }
            if let directoryArgument, let base = descriptors[try descriptor(directoryArgument)] {
                return base.absolutePath + "/" + value
            }
            return root + "/" + value
        }
        switch name {
        case "openat": try opened(try path(1, directoryArgument: 0), flags: try argument(2), result)
        case "open": try opened(try path(0), flags: try argument(1), result)
        case "creat": try opened(try path(0), flags: "O_CREAT|O_TRUNC|O_WRONLY", result)
        case "write": try wrote(try descriptor(0), Self.bytes(try argument(1)).prefix(result), at: nil)
        case "pwrite64":
            try wrote(try descriptor(0), Self.bytes(try argument(1)).prefix(result), at: Int(try argument(3)))
        case "writev":
            let pieces = try argument(1).split(separator: "iov_base=").dropFirst()
            let bytes = try pieces.flatMap { try Self.bytes($0.prefix(while: { $0 != "," })) }
            try wrote(try descriptor(0), bytes.prefix(result), at: nil)
        case "ftruncate":
            if let inode = descriptors[try descriptor(0)]?.inode, let length = Int(try argument(1)) {
                events.append(.truncate(inode: inode, length: length))
                sizes[inode] = length
            }
        case "fsync", "fdatasync":
            guard let file = descriptors[try descriptor(0)], let relative = relative(file.absolutePath) else {
                return
            }
            events.append(
                file.isDirectory ? .syncDirectory(path: relative) : .syncFile(inode: file.inode ?? -1))
        case "rename": try renamed(try path(0), try path(1))
        case "renameat", "renameat2":
            try renamed(try path(1, directoryArgument: 0), try path(3, directoryArgument: 2))
        case "unlink", "rmdir": removed(try path(0))
        case "unlinkat": removed(try path(1, directoryArgument: 0))
        case "mkdir": madeDirectory(try path(0))
        case "mkdirat": madeDirectory(try path(1, directoryArgument: 0))
        case "dup", "dup2", "dup3": descriptors[result] = descriptors[try descriptor(0)]
        case "fcntl" where try argument(1).hasPrefix("F_DUPFD"):
            descriptors[result] = descriptors[try descriptor(0)]
        case "close": descriptors[try descriptor(0)] = nil
        default: return
        }
    }

    private func relative(_ absolute: String) -> String? {
        if absolute == root { return "" }
        guard absolute.hasPrefix(root + "/") else { return nil }
        return String(absolute.dropFirst(root.count + 1))
    }

    private mutating func opened(_ absolute: String, flags: Substring, _ descriptor: Int) throws {
        let flagSet = Set(flags.split(separator: "|"))
        var file = OpenFile(
            absolutePath: absolute, inode: nil, isDirectory: flagSet.contains("O_DIRECTORY"),
            appends: flagSet.contains("O_APPEND"))
        defer { descriptors[descriptor] = file }
        guard let path = relative(absolute) else { return }
        if file.isDirectory || directories.contains(path) {
            file.isDirectory = true
            return
        }
        if let inode = names[path] {
            file.inode = inode
            if flagSet.contains("O_TRUNC") {
                events.append(.truncate(inode: inode, length: 0))
                sizes[inode] = 0
            }
            return
        }
        guard flagSet.contains("O_CREAT") else { throw TraceError("\(path) opened but never created") }
        let inode = (createdNames.keys.max() ?? -1) + 1
        names[path] = inode
        sizes[inode] = 0
        createdNames[inode] = path
        file.inode = inode
        events.append(.createFile(path: path, inode: inode))
    }

    private mutating func wrote<Bytes: Collection<UInt8>>(_ descriptor: Int, _ bytes: Bytes, at offset: Int?)
        throws
    {
        guard var file = descriptors[descriptor] else { return }
        if file.absolutePath == logPath {
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                events.append(.logged(String(line)))
            }
            return
        }
        guard let inode = file.inode else { return }
        let start = offset ?? (file.appends ? sizes[inode] ?? 0 : file.position)
        events.append(.write(inode: inode, offset: start, bytes: Array(bytes)))
        sizes[inode] = max(sizes[inode] ?? 0, start + bytes.count)
        if offset == nil {
            file.position = start + bytes.count
            descriptors[descriptor] = file
        }
    }

    private mutating func renamed(_ from: String, _ to: String) throws {
        guard let source = relative(from), let target = relative(to) else { return }
        guard let inode = names.removeValue(forKey: source) else {
            throw TraceError("rename of unknown \(source)")
        }
        names[target] = inode
        events.append(.rename(from: source, to: target))
    }

    private mutating func removed(_ absolute: String) {
        guard let path = relative(absolute) else { return }
        names[path] = nil
        directories.remove(path)
        events.append(.remove(path: path))
    }

    private mutating func madeDirectory(_ absolute: String) {
        guard let path = relative(absolute) else { return }
        directories.insert(path)
        events.append(.makeDirectory(path: path))
    }

    /// Splits an argument list at its top-level commas.
    static func split(_ text: Substring) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "[", "{", "(": depth += 1
            case "]", "}", ")": depth -= 1
            case "," where depth == 0:
                parts.append(text[start..<index].drop(while: { $0 == " " }))
                start = text.index(after: index)
            default: continue
            }
        }
        parts.append(text[start...].drop(while: { $0 == " " }))
        return parts
    }

    /// The bytes of a `"\xNN…"` string (`-xx` escapes every byte).
    static func bytes(_ argument: Substring) throws -> [UInt8] {
        guard let open = argument.firstIndex(of: "\"") else {
            throw TraceError("not a string: \(argument.prefix(40))")
        }
        var bytes: [UInt8] = []
        var index = argument.index(after: open)
        while index < argument.endIndex, argument[index] != "\"" {
            let escape = argument[index...].prefix(4)
            guard escape.count == 4, escape.hasPrefix("\\x"), let byte = UInt8(escape.dropFirst(2), radix: 16)
            else {
                throw TraceError("unexpected string text: \(escape)")
            }
            bytes.append(byte)
            index = argument.index(index, offsetBy: 4)
        }
        return bytes
    }
}

/// A trace line this reader cannot follow.
struct TraceError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
