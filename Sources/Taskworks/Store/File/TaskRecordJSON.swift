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
}
