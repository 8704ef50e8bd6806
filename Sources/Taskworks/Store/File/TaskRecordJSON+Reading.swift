import Foundation

/// Reading the file store's records: a strict parser for exactly what ``TaskRecordJSON`` writes
/// and ordinary JSON values, with bounded nesting.
extension TaskRecordJSON {
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
}
