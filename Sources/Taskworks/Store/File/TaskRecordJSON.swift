import Foundation

/// A JSON writer and reader specialised for the file store's records, about five times faster
/// than `JSONEncoder`/`JSONDecoder` for a task record. The text is ordinary JSON with the same
/// keys `Codable` uses. The parser is strict: an unknown key, a missing field or invalid UTF-8 is
/// an error, never dropped or replaced.
///
/// Dates are written as seconds since 2001-01-01 UTC (Foundation's reference date, as
/// `JSONEncoder` does by default) in the shortest text that reads back to the same `Double`, so
/// every process that reads a line gets exactly the record that was written.
enum TaskRecordJSON {
    // MARK: - Writing

    /// Appends the framed journal record of a changed task: `{"task":{…}}` in a ``FileStoreFrame``.
    static func appendJournalLine(_ record: TaskRecord, to bytes: inout [UInt8]) {
        FileStoreFrame.append(to: &bytes) { bytes in
            bytes += #"{"task":"#.utf8
            appendRecord(record, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends the framed journal record of a removal: `{"remove":"<id>"}`.
    static func appendRemovalLine(_ id: TaskID, to bytes: inout [UInt8]) {
        FileStoreFrame.append(to: &bytes) { $0 += #"{"remove":"\#(id)"}"#.utf8 }
    }

    /// Appends the rotation record to generation `next`, framed (or, for a version-1 journal
    /// being upgraded, as the bare line an older build follows).
    static func appendRotationLine(to next: Int, versionOne: Bool, to bytes: inout [UInt8]) {
        let json = #"{"rotate":\#(next)}"#
        if versionOne {
            bytes += (json + "\n").utf8
        } else {
            FileStoreFrame.append(to: &bytes) { $0 += json.utf8 }
        }
    }

    static func appendRecord(_ record: TaskRecord, to bytes: inout [UInt8]) {
        var writer = ObjectWriter(bytes: bytes)
        bytes = []
        writer.string("id", record.id.description)
        writer.string("type", record.type)
        writer.string("status", record.status.rawValue)
        writer.integer("priority", Int64(record.priority))
        if let payload = record.payload { writer.value("payload", payload) }
        if let result = record.result { writer.value("result", result) }
        if let message = record.errorMessage { writer.string("errorMessage", message) }
        writer.integer("progress", Int64(record.progress))
        writer.string("createdBy", record.createdBy)
        if let artifact = record.artifact {
            writer.key("artifact")
            writer.bytes += #"{"key":"#.utf8
            TaskRecordJSON.appendString(artifact.key, to: &writer.bytes)
            writer.bytes += #","fileName":"#.utf8
            TaskRecordJSON.appendString(artifact.fileName, to: &writer.bytes)
            writer.bytes += #","contentType":"#.utf8
            TaskRecordJSON.appendString(artifact.contentType, to: &writer.bytes)
            writer.bytes.append(UInt8(ascii: "}"))
        }
        writer.integer("attempts", Int64(record.attempts))
        writer.integer("maxRetries", Int64(record.maxRetries))
        writer.integer("manualRetries", Int64(record.manualRetries))
        if let timeout = record.timeoutMilliseconds { writer.integer("timeoutMilliseconds", timeout) }
        writer.date("runAfter", record.runAfter)
        writer.date("createdAt", record.createdAt)
        if let date = record.startedAt { writer.date("startedAt", date) }
        if let date = record.finishedAt { writer.date("finishedAt", date) }
        writer.date("updatedAt", record.updatedAt)
        if let date = record.deletedAt { writer.date("deletedAt", date) }
        writer.bool("cancelRequested", record.cancelRequested)
        if let owner = record.leaseOwner { writer.string("leaseOwner", owner) }
        if let date = record.leaseExpiresAt { writer.date("leaseExpiresAt", date) }
        writer.integer("version", Int64(bitPattern: record.version))
        if let key = record.uniqueKey { writer.string("uniqueKey", key) }
        bytes = writer.finish()
    }

    private struct ObjectWriter {
        var bytes: [UInt8]
        var first = true

        init(bytes: [UInt8]) {
            self.bytes = bytes
            self.bytes.append(UInt8(ascii: "{"))
        }

        mutating func key(_ name: String) {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            bytes.append(UInt8(ascii: "\""))
            bytes += name.utf8
            bytes += "\":".utf8
        }

        mutating func string(_ name: String, _ value: String) {
            key(name)
            TaskRecordJSON.appendString(value, to: &bytes)
        }

        mutating func integer(_ name: String, _ value: Int64) {
            key(name)
            bytes += String(value).utf8
        }

        mutating func bool(_ name: String, _ value: Bool) {
            key(name)
            bytes += (value ? "true" : "false").utf8
        }

        mutating func date(_ name: String, _ value: Date) {
            key(name)
            TaskRecordJSON.appendDouble(value.timeIntervalSinceReferenceDate, to: &bytes)
        }

        mutating func value(_ name: String, _ value: JSONValue) {
            key(name)
            TaskRecordJSON.appendValue(value, to: &bytes)
        }

        mutating func finish() -> [UInt8] {
            bytes.append(UInt8(ascii: "}"))
            return bytes
        }
    }

    static func appendValue(_ value: JSONValue, to bytes: inout [UInt8]) {
        switch value {
        case .null: bytes += "null".utf8
        case .bool(let flag): bytes += (flag ? "true" : "false").utf8
        case .integer(let number): bytes += String(number).utf8
        case .double(let number): appendDouble(number, to: &bytes)
        case .string(let text): appendString(text, to: &bytes)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                appendValue(item, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            // Sorted keys: the same object always gives the same bytes.
            for (offset, key) in members.keys.sorted().enumerated() {
                if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                appendString(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                appendValue(members[key] ?? .null, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Finite doubles in Swift's shortest round-trip form (valid JSON); a non-finite one, which
    /// no JSONValue made by JSONEncoder holds, becomes `null`.
    static func appendDouble(_ number: Double, to bytes: inout [UInt8]) {
        guard number.isFinite else {
            bytes += "null".utf8
            return
        }
        bytes += number.description.utf8
    }

    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += #"\""#.utf8
            case UInt8(ascii: "\\"): bytes += #"\\"#.utf8
            case UInt8(ascii: "\n"): bytes += #"\n"#.utf8
            case UInt8(ascii: "\r"): bytes += #"\r"#.utf8
            case UInt8(ascii: "\t"): bytes += #"\t"#.utf8
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += #"\u00"#.utf8
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    // MARK: - Reading

    /// What one journal line says.
    enum JournalEntry {
        case task(TaskRecord)
        case rotate(Int)
        case remove(TaskID)
    }

    struct SyntaxError: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "\(reason) at byte \(offset + 1)" }
    }

    /// Reads a journal line, or `nil` when this parser does not recognise it (the caller then
    /// tries `JSONDecoder`).
    static func journalEntry(_ line: ArraySlice<UInt8>) -> JournalEntry? {
        try? parseJournalEntry(line)
    }

    /// Reads a journal record, or throws a ``SyntaxError`` saying where and why it is not one.
    /// Unknown keys are errors: nothing a record holds is ever dropped.
    static func parseJournalEntry(_ line: ArraySlice<UInt8>) throws -> JournalEntry {
        try line.withUnsafeBytes { buffer -> JournalEntry in
            var parser = Parser(bytes: buffer.bindMemory(to: UInt8.self))
            do {
                var entry: JournalEntry?
                try parser.object { parser, key in
                    switch key {
                    case "task": entry = .task(try parser.record())
                    case "rotate": entry = .rotate(Int(try parser.integer()))
                    case "remove":
                        guard let uuid = TaskID.parseUUID(try parser.string().utf8) else {
                            throw parser.fail("bad id")
                        }
                        entry = .remove(TaskID(uuid: uuid))
                    default: throw SyntaxError(offset: parser.position, reason: "unexpected key \(key)")
                    }
                }
                try parser.end()
                guard let entry else { throw parser.fail("the record holds no task, removal or rotation") }
                return entry
            } catch let error as SyntaxError {
                throw error
            } catch {
                throw SyntaxError(offset: parser.position, reason: "\(error)")
            }
        }
    }

    /// Reads a snapshot line (one task), or `nil` when this parser does not recognise it.
    static func record(_ line: ArraySlice<UInt8>) -> TaskRecord? {
        try? parseRecord(line)
    }

    /// Reads a snapshot record (one task), or throws a ``SyntaxError`` saying why it is not one.
    static func parseRecord(_ line: ArraySlice<UInt8>) throws -> TaskRecord {
        try line.withUnsafeBytes { buffer -> TaskRecord in
            var parser = Parser(bytes: buffer.bindMemory(to: UInt8.self))
            do {
                let record = try parser.record()
                try parser.end()
                return record
            } catch let error as SyntaxError {
                throw error
            } catch {
                throw SyntaxError(offset: parser.position, reason: "\(error)")
            }
        }
    }

    /// Reads one JSON value (a payload or result stored as text).
    static func value(_ text: String) -> Result<JSONValue, SyntaxError> {
        var text = text
        return text.withUTF8 { buffer in
            var parser = Parser(bytes: buffer)
            do {
                let value = try parser.value()
                try parser.end()
                return .success(value)
            } catch let error as SyntaxError {
                return .failure(error)
            } catch {
                return .failure(SyntaxError(offset: parser.position, reason: "\(error)"))
            }
        }
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        /// Arrays and objects open around the current position.
        var nesting = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        func fail(_ reason: String) -> SyntaxError {
            SyntaxError(offset: position, reason: reason)
        }

        mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    position += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8) throws {
            skipSpace()
            guard position < bytes.count, bytes[position] == byte else {
                throw fail("expected '\(Character(Unicode.Scalar(byte)))'")
            }
            position += 1
        }

        mutating func peek() -> UInt8? {
            skipSpace()
            return position < bytes.count ? bytes[position] : nil
        }

        mutating func end() throws {
            skipSpace()
            guard position == bytes.count else { throw fail("trailing bytes") }
        }

        /// Calls `member` for each key of an object, with the parser at the key's value.
        mutating func object(_ member: (inout Parser, String) throws -> Void) throws {
            try expect(UInt8(ascii: "{"))
            if peek() == UInt8(ascii: "}") {
                position += 1
                return
            }
            while true {
                let key = try string()
                try expect(UInt8(ascii: ":"))
                try member(&self, key)
                skipSpace()
                guard position < bytes.count else { throw fail("unterminated object") }
                let next = bytes[position]
                position += 1
                if next == UInt8(ascii: "}") { return }
                guard next == UInt8(ascii: ",") else { throw fail("expected ',' or '}'") }
            }
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    guard
                        let text = String(
                            validating: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    else { throw fail("invalid UTF-8 in string") }
                    position += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
                if byte < 0x20 { throw fail("control character in string") }
                position += 1
            }
            throw fail("unterminated string")
        }

        private mutating func escapedString(from start: Int) throws -> String {
            var scalars = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let text = String(validating: scalars, as: UTF8.self) else {
                        throw fail("invalid UTF-8 in string")
                    }
                    return text
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { throw fail("unterminated escape") }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                    case UInt8(ascii: "b"): scalars.append(0x08)
                    case UInt8(ascii: "f"): scalars.append(0x0C)
                    case UInt8(ascii: "n"): scalars.append(0x0A)
                    case UInt8(ascii: "r"): scalars.append(0x0D)
                    case UInt8(ascii: "t"): scalars.append(0x09)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {
                            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                                bytes[position + 1] == UInt8(ascii: "u")
                            else { throw fail("lone surrogate") }
                            position += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw fail("bad surrogate pair") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw fail("invalid code point") }
                        scalars += Array(String(Character(scalar)).utf8)
                    default: throw fail("unknown escape")
                    }
                default:
                    if byte < 0x20 { throw fail("control character in string") }
                    scalars.append(byte)
                }
            }
            throw fail("unterminated string")
        }

        private mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count else { throw fail("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                position += 1
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw fail("bad hex digit")
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }

        /// The text of a number and whether it has a fraction or exponent.
        private mutating func numberText() throws -> (String, isInteger: Bool) {
            skipSpace()
            let start = position
            var isInteger = true
            while position < bytes.count, Parser.isNumberByte(bytes[position]) {
                let byte = bytes[position]
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    isInteger = false
                }
                position += 1
            }
            guard position > start else { throw fail("expected a number") }
            return (
                String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self),
                isInteger
            )
        }

        private static func isNumberByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                true
            default: false
            }
        }

        mutating func integer() throws -> Int64 {
            let (text, isInteger) = try numberText()
            guard isInteger, let value = Int64(text) else { throw fail("expected an integer") }
            return value
        }

        mutating func double() throws -> Double {
            let (text, _) = try numberText()
            guard let value = Double(text), value.isFinite else { throw fail("expected a number") }
            return value
        }

        mutating func bool() throws -> Bool {
            if try literal("true") { return true }
            if try literal("false") { return false }
            throw fail("expected true or false")
        }

        private mutating func literal(_ word: StaticString) throws -> Bool {
            skipSpace()
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
            position += count
            return true
        }

        mutating func value() throws -> JSONValue {
            switch peek() {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                // Bounded recursion: no stored value nests deeper (create refuses it).
                guard nesting < JSONValue.maximumNestingDepth else {
                    throw fail("nested more than \(JSONValue.maximumNestingDepth) levels deep")
                }
                nesting += 1
                defer { nesting -= 1 }
                return try container()
            default:
                return try scalar()
            }
        }

        private mutating func container() throws -> JSONValue {
            switch peek() {
            case UInt8(ascii: "{"):
                var members: [String: JSONValue] = [:]
                try object { parser, key in members[key] = try parser.value() }
                return .object(members)
            default:
                position += 1
                var items: [JSONValue] = []
                if peek() == UInt8(ascii: "]") {
                    position += 1
                    return .array(items)
                }
                while true {
                    items.append(try value())
                    guard let next = peek() else { throw fail("unterminated array") }
                    position += 1
                    if next == UInt8(ascii: "]") { return .array(items) }
                    guard next == UInt8(ascii: ",") else { throw fail("expected ',' or ']'") }
                }
            }
        }

        private mutating func scalar() throws -> JSONValue {
            switch peek() {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try bool())
            case UInt8(ascii: "n"):
                guard try literal("null") else { throw fail("expected null") }
                return .null
            default:
                let (text, isInteger) = try numberText()
                if isInteger, let integer = Int64(text) { return .integer(integer) }
                guard let double = Double(text), double.isFinite else { throw fail("bad number") }
                return .double(double)
            }
        }

        private mutating func date() throws -> Date {
            Date(timeIntervalSinceReferenceDate: try double())
        }

        private mutating func int() throws -> Int {
            guard let value = Int(exactly: try integer()) else { throw fail("integer out of range") }
            return value
        }

        mutating func record() throws -> TaskRecord {
            var id: TaskID?
            var type: String?
            var status: TaskStatus?
            var priority: Int?
            var payload: JSONValue?
            var result: JSONValue?
            var errorMessage: String?
            var progress: Int?
            var createdBy: String?
            var artifact: TaskArtifact?
            var attempts: Int?
            var maxRetries: Int?
            var manualRetries: Int?
            var timeout: Int64?
            var runAfter: Date?
            var createdAt: Date?
            var startedAt: Date?
            var finishedAt: Date?
            var updatedAt: Date?
            var deletedAt: Date?
            var cancelRequested: Bool?
            var leaseOwner: String?
            var leaseExpiresAt: Date?
            var version: Int64?
            var uniqueKey: String?
            try object { parser, key in
                switch key {
                case "id":
                    guard let uuid = TaskID.parseUUID(try parser.string().utf8) else {
                        throw parser.fail("bad id")
                    }
                    id = TaskID(uuid: uuid)
                case "type": type = try parser.string()
                case "status": status = TaskStatus(rawValue: try parser.string())
                case "priority": priority = try parser.int()
                case "payload": payload = try parser.value()
                case "result": result = try parser.value()
                case "errorMessage": errorMessage = try parser.string()
                case "progress": progress = try parser.int()
                case "createdBy": createdBy = try parser.string()
                case "artifact":
                    var key: String?
                    var fileName: String?
                    var contentType = "application/octet-stream"
                    try parser.object { parser, name in
                        switch name {
                        case "key": key = try parser.string()
                        case "fileName": fileName = try parser.string()
                        case "contentType": contentType = try parser.string()
                        default: throw parser.fail("unexpected artifact key")
                        }
                    }
                    guard let key, let fileName else { throw parser.fail("incomplete artifact") }
                    artifact = try TaskArtifact(key: key, fileName: fileName, contentType: contentType)
                case "attempts": attempts = try parser.int()
                case "maxRetries": maxRetries = try parser.int()
                case "manualRetries": manualRetries = try parser.int()
                case "timeoutMilliseconds": timeout = try parser.integer()
                case "runAfter": runAfter = try parser.date()
                case "createdAt": createdAt = try parser.date()
                case "startedAt": startedAt = try parser.date()
                case "finishedAt": finishedAt = try parser.date()
                case "updatedAt": updatedAt = try parser.date()
                case "deletedAt": deletedAt = try parser.date()
                case "cancelRequested": cancelRequested = try parser.bool()
                case "leaseOwner": leaseOwner = try parser.string()
                case "leaseExpiresAt": leaseExpiresAt = try parser.date()
                case "version": version = try parser.integer()
                case "uniqueKey": uniqueKey = try parser.string()
                default: throw parser.fail("unexpected key \(key)")
                }
            }
            guard let id, let type, let status, let priority, let progress, let createdBy, let attempts,
                let maxRetries, let manualRetries, let runAfter, let createdAt, let updatedAt,
                let cancelRequested, let version
            else { throw fail("a required task field is missing") }
            var record = TaskRecord(
                id: id, type: type, priority: priority, payload: payload, createdBy: createdBy,
                maxRetries: maxRetries, runAfter: runAfter, createdAt: createdAt)
            record.status = status
            record.result = result
            record.errorMessage = errorMessage
            record.progress = progress
            record.artifact = artifact
            record.attempts = attempts
            record.manualRetries = manualRetries
            record.timeoutMilliseconds = timeout
            record.startedAt = startedAt
            record.finishedAt = finishedAt
            record.updatedAt = updatedAt
            record.deletedAt = deletedAt
            record.cancelRequested = cancelRequested
            record.leaseOwner = leaseOwner
            record.leaseExpiresAt = leaseExpiresAt
            record.version = UInt64(bitPattern: version)
            record.uniqueKey = uniqueKey
            return record
        }
    }
}
