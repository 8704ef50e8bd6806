import Foundation

/// The file store's task records as JSON, written and read with the one JSON codec
/// (``JSONObjectWriter``, ``JSONParser``), about five times faster than `JSONEncoder`/`JSONDecoder`
/// for a task record. The text is ordinary JSON with the same keys `Codable` uses. The reader is
/// strict: an unknown key, a missing field or invalid UTF-8 is an error, never dropped or replaced.
///
/// Dates are written as seconds since 2001-01-01 UTC (Foundation's reference date, as
/// `JSONEncoder` does by default) in the shortest text that reads back to the same `Double`, so
/// every process that reads a line gets exactly the record that was written.
enum TaskRecordJSON {
    /// Appends `record` as one JSON object.
    static func appendRecord(_ record: TaskRecord, to bytes: inout [UInt8]) {
        JSONObjectWriter.append(to: &bytes) { writer in
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
                JSONWriter.appendString(artifact.key, to: &writer.bytes)
                writer.bytes += #","fileName":"#.utf8
                JSONWriter.appendString(artifact.fileName, to: &writer.bytes)
                writer.bytes += #","contentType":"#.utf8
                JSONWriter.appendString(artifact.contentType, to: &writer.bytes)
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
            let metadata = record.metadata
            if !metadata.isEmpty { writer.value("metadata", .object(metadata.mapValues { .string($0) })) }
        }
    }

    /// Reads a snapshot record (one task), or `nil` when it is not one.
    static func record(_ line: ArraySlice<UInt8>) -> TaskRecord? {
        try? parseRecord(line)
    }

    /// Reads a snapshot record (one task), or throws a ``JSONSyntaxError`` saying why it is not one.
    static func parseRecord(_ line: ArraySlice<UInt8>) throws -> TaskRecord {
        try JSONParser.parseWhole(line) { try $0.record() }
    }
}
