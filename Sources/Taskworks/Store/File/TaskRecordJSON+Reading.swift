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
        try parseWhole(line) { parser in
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
            guard let entry else { throw parser.fail("the record holds no task, removal or rotation") }
            return entry
        }
    }

    /// Reads a snapshot line (one task), or `nil` when this parser does not recognise it.
    static func record(_ line: ArraySlice<UInt8>) -> TaskRecord? {
        try? parseRecord(line)
    }

    /// Reads a snapshot record (one task), or throws a ``SyntaxError`` saying why it is not one.
    static func parseRecord(_ line: ArraySlice<UInt8>) throws -> TaskRecord {
        try parseWhole(line) { try $0.record() }
    }

    /// Runs `body` over `bytes`, requires that it read them to the end, and turns any error into
    /// a ``SyntaxError`` with the position it stopped at.
    private static func parseWhole<T>(_ bytes: ArraySlice<UInt8>, _ body: (inout Parser) throws -> T) throws
        -> T
    {
        try bytes.withUnsafeBytes { buffer in
            var parser = Parser(bytes: buffer.bindMemory(to: UInt8.self))
            do {
                let value = try body(&parser)
                try parser.end()
                return value
            } catch let error as SyntaxError {
                throw error
            } catch {
                throw SyntaxError(offset: parser.position, reason: "\(error)")
            }
        }
    }

    /// Reads one JSON value (a payload or result stored as text).
    static func value(_ text: String) -> Result<JSONValue, SyntaxError> {
        let bytes = Array(text.utf8)
        do {
            return .success(try parseWhole(bytes[...]) { try $0.value() })
        } catch let error as SyntaxError {
            return .failure(error)
        } catch {
            return .failure(SyntaxError(offset: 0, reason: "\(error)"))
        }
    }
}
